#!/usr/bin/env bash
# `npm run up [-- --detach]`: the whole local stack. Installs what is missing (Postgres, Redis,
# Prometheus, Alertmanager: only what it runs), starts Postgres and Redis (unless DATABASE_URL /
# REDIS_URL point elsewhere), migrates, builds when sources changed, then runs the api, the worker,
# Prometheus and Alertmanager under a supervisor that restarts a crashed one with backoff.
#   foreground (default): until Ctrl-C.   --detach: in the background, log in $STATE/up.log;
#   `npm run down` stops it (and Postgres and Redis).
# Ports and switches: docs/quickstart.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
detach=0
for arg in "$@"; do
  case "$arg" in
    --detach|-d) detach=1 ;;
    *) echo "usage: npm run up [-- --detach]" >&2; exit 2 ;;
  esac
done
STATE="${VERILOCK_STATE_DIR:-$ROOT/.local}"
PIDFILE="$STATE/up.pid"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "[up] already running (pid $(cat "$PIDFILE"), log $STATE/up.log): npm run down stops it" >&2
  exit 1
fi

if [ "${VERILOCK_SKIP_PROMETHEUS:-0}" = 1 ]; then export PREPARE_PACKAGES=""; else export PREPARE_PACKAGES="prometheus prometheus-alertmanager"; fi
source scripts/prepare.sh
bash scripts/build-if-stale.sh

# Same V8 settings as the Docker image (Dockerfile): a young generation sized for ingest's short-lived
# JSON (the worker); the api's own flag, on its command line, wins (local-stack.ts, API_NODE_FLAGS).
export NODE_OPTIONS="${NODE_OPTIONS:---max-semi-space-size=64}"
if [ "$detach" = 0 ]; then
  exec node dist/apps/stack/src/main.js
fi

mkdir -p "$STATE"
setsid node dist/apps/stack/src/main.js >>"$STATE/up.log" 2>&1 </dev/null &
echo $! >"$PIDFILE"
# Ready when the api (and Prometheus and Alertmanager) answer; bounded: a broken start shows its log.
urls=("http://127.0.0.1:${API_PORT:-3000}/health/live")
[ "${VERILOCK_SKIP_PROMETHEUS:-0}" = 1 ] || urls+=("http://127.0.0.1:${VERILOCK_PROMETHEUS_PORT:-9090}/-/ready" "http://127.0.0.1:${VERILOCK_ALERTMANAGER_PORT:-9093}/-/ready")
for url in "${urls[@]}"; do
  for _ in $(seq 600); do
    curl -sf -o /dev/null "$url" && continue 2
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break
    sleep 0.1
  done
  echo "[up] $url did not answer within 60 s; last lines of $STATE/up.log:" >&2
  tail -n 30 "$STATE/up.log" >&2
  bash scripts/down.sh >&2 || true
  exit 1
done
grep '^\[up\] api ' "$STATE/up.log" | tail -n 1 >&2
echo "[up] running in the background (pid $(cat "$PIDFILE"), log $STATE/up.log); npm run down stops everything" >&2
