#!/usr/bin/env bash
# The worker alone, draining a backlog the API built beforehand (API stopped), into a loopback
# SMS.ru that answers at once: CPU time per delivery for the worker and for PostgreSQL, and the
# worker's peak RSS. Usage: bench/alone/worker.sh [seconds of posting to build the backlog, default 4]
# WORKER_EXTRA_FLAGS adds node flags for the worker only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
source "$(dirname "$0")/common.sh"
start_api
post_load "${1:-4}" >/dev/null
kill "$API_PID"; wait "$API_PID" 2>/dev/null || true
node --import tsx bench/alone/sms-ru.ts & PIDS+=("$!")
backlog=$(sql "SELECT count(*) FROM notifications WHERE status = 'pending'")
node $NODE_FLAGS ${WORKER_EXTRA_FLAGS:-} dist/entry/worker.js & WORKER_PID=$!; PIDS+=("$WORKER_PID")
# Measure from the first delivery, so the worker's start-up is not counted.
until [ "$(sql "SELECT count(*) FROM notifications WHERE status = 'sent'")" -gt 0 ]; do sleep 0.05; done
sent_before=$(sql "SELECT count(*) FROM notifications WHERE status = 'sent'")
worker_before=$(cpu_ticks "$WORKER_PID"); pg_before=$(postgres_ticks); started=$(date +%s.%N)
until [ "$(sql "SELECT count(*) FROM notifications WHERE status = 'pending'")" -eq 0 ]; do sleep 0.2; done
ended=$(date +%s.%N); worker_after=$(cpu_ticks "$WORKER_PID"); pg_after=$(postgres_ticks)
sent_after=$(sql "SELECT count(*) FROM notifications WHERE status = 'sent'")
peak=$(awk '/VmHWM/{print $2}' "/proc/$WORKER_PID/status")
node -e '
  const [backlog, n, started, ended, worker, pg, peak] = process.argv.slice(1).map(Number);
  const hz = Number(process.env.HZ); const seconds = ended - started;
  console.log(`worker alone: backlog ${backlog}, ${n} delivered in ${seconds.toFixed(1)} s (${Math.round(n / seconds)}/s)` +
    ` · worker ${Math.round((worker / hz) * 1e6 / n)} µs, PostgreSQL ${Math.round((pg / hz) * 1e6 / n)} µs CPU per delivery` +
    ` · worker peak RSS ${Math.round(peak / 1024)} MiB`);
' "$backlog" "$((sent_after - sent_before))" "$started" "$ended" "$((worker_after - worker_before))" "$((pg_after - pg_before))" "$peak"
