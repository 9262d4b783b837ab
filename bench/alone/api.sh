#!/usr/bin/env bash
# The API alone (no worker) under autocannon: CPU time per accepted request and peak RSS. One
# process, measured by its own /proc counters, so runs compare on a machine whose speed drifts;
# interleave the variants you compare. Usage: bench/alone/api.sh [seconds, default 8]
source "$(dirname "$0")/common.sh"
start_api
post_load 3 >/dev/null # warm-up: JIT, pools
before=$(cpu_ticks "$API_PID")
result=$(post_load "${1:-8}")
after=$(cpu_ticks "$API_PID")
peak=$(awk '/VmHWM/{print $2}' "/proc/$API_PID/status")
node -e '
  const r = JSON.parse(process.argv[1]); const ticks = Number(process.argv[2]); const hz = Number(process.env.HZ);
  const n = r["2xx"];
  console.log(`api alone: ${n} accepted (${Math.round(n / r.duration)}/s, non-2xx ${r.non2xx}, p99 ${r.latency.p99} ms)` +
    ` · ${Math.round((ticks / hz) * 1e6 / n)} µs CPU per request · peak RSS ${Math.round(Number(process.argv[3]) / 1024)} MiB`);
' "$result" "$((after - before))" "$peak"
