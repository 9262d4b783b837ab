#!/usr/bin/env bash
# The API alone (no worker) under autocannon: CPU time per accepted request for the API and for
# PostgreSQL, transactions per request, and the API's peak RSS. Measured from /proc counters, so
# runs compare on a machine whose speed drifts; interleave the variants you compare. Usage: bench/alone/api.sh [seconds, default 8]
source "$(dirname "$0")/common.sh"
start_api
post_load 3 >/dev/null # warm-up: JIT, pools
commits() { sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }
before=$(cpu_ticks "$API_PID"); pg_before=$(postgres_ticks); commits_before=$(commits)
result=$(post_load "${1:-8}")
after=$(cpu_ticks "$API_PID"); pg_after=$(postgres_ticks); commits_after=$(commits)
peak=$(awk '/VmHWM/{print $2}' "/proc/$API_PID/status")
node -e '
  const r = JSON.parse(process.argv[1]); const [ticks, pgTicks, commits, peak] = process.argv.slice(2).map(Number);
  const hz = Number(process.env.HZ); const n = r["2xx"]; const perRequest = (t) => Math.round((t / hz) * 1e6 / n);
  console.log(`api alone: ${n} accepted (${Math.round(n / r.duration)}/s, non-2xx ${r.non2xx}, p99 ${r.latency.p99} ms)` +
    ` · API ${perRequest(ticks)} µs, PostgreSQL ${perRequest(pgTicks)} µs CPU per request` +
    ` · ${(commits / n).toFixed(3)} transactions per request · peak RSS ${Math.round(peak / 1024)} MiB`);
' "$result" "$((after - before))" "$((pg_after - pg_before))" "$((commits_after - commits_before))" "$peak"
