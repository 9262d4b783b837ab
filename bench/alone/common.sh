# Shared by api.sh and worker.sh: a scratch database and Redis prefix of their own, the service's
# environment, and CPU time read from /proc. Sourced, not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ADMIN_URL=${BENCH_ADMIN_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
NAME="ns_alone_$(date +%s)_$$"
export HOST=127.0.0.1 PORT=${ALONE_PORT:-3998} LOG_LEVEL=warn
export DATABASE_URL="${ADMIN_URL%/*}/$NAME" REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
export REDIS_PREFIX="$NAME" API_KEYS=bench-key API_RATE_LIMIT_PER_MINUTE=0 CHANNEL_ORDER=sms
export SMS_RU_API_URL="http://127.0.0.1:${ALONE_SMS_PORT:-3997}" SMS_RU_API_ID=bench-api-id DELIVERY_SANDBOX=false
# The node flags `npm start` uses, unless NODE_FLAGS says otherwise.
NODE_FLAGS=${NODE_FLAGS:-$(sed -n 's/.*"start": ".*node \(.*\) dist\/entry\/start.js".*/\1/p' package.json)}
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$NAME\" WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$NAME:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
}
trap cleanup EXIT
psql -q "$ADMIN_URL" -c "CREATE DATABASE \"$NAME\"" >/dev/null
[ -f dist/entry/api.js ] || npm run build --silent

HZ=$(getconf CLK_TCK)
export HZ
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Every PostgreSQL process's CPU ticks: the server's share of what the service asked of it.
postgres_ticks() { for pid in $(pgrep -x postgres); do cpu_ticks "$pid" 2>/dev/null || true; done | awk '{s += $1} END {print s}'; }
sql() { psql -tA "$DATABASE_URL" -c "$1"; }

# Starts the API and fills $USER_ID with a recipient that has a phone number.
start_api() {
  node $NODE_FLAGS dist/entry/api.js & API_PID=$!; PIDS+=("$API_PID")
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
  # For experiments on the schema (an index or a constraint less): SQL run once it is migrated.
  if [ -n "${ALONE_SQL:-}" ]; then sql "$ALONE_SQL" >/dev/null; fi
  USER_ID=$(curl -sf -H 'authorization: Bearer bench-key' -H 'content-type: application/json' \
    -d '{"email":"alone@example.com","password":"correct horse battery","phone_number":"+79991234567"}' \
    "http://127.0.0.1:$PORT/api/users/" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).id))')
}

# POSTs notifications for $1 seconds at 32 connections; prints autocannon's JSON.
post_load() {
  npx autocannon -j -c 32 -d "$1" -m POST -H content-type=application/json -H 'authorization=Bearer bench-key' \
    -b "{\"user\":$USER_ID,\"message\":\"alone\"}" "http://127.0.0.1:$PORT/api/notifications/" 2>/dev/null
}
