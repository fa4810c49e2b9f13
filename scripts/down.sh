#!/usr/bin/env bash
# `npm run down`: stops a background `npm run up -- --detach` (api, worker, Prometheus, Alertmanager:
# SIGTERM, their graceful shutdowns run), then the private Postgres and Redis (data stays in the
# state directory).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${VERILOCK_STATE_DIR:-$ROOT/.local}"
PIDFILE="$STATE/up.pid"
if [ -f "$PIDFILE" ]; then
  pid="$(cat "$PIDFILE")"
  if kill -TERM "$pid" 2>/dev/null; then
    echo "[down] stopping the stack (pid $pid)" >&2
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$PIDFILE"
fi
bash "$ROOT/scripts/services.sh" stop
