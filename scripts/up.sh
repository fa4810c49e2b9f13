#!/usr/bin/env bash
# `npm run up`: installs what is missing, starts Postgres and Redis (unless DATABASE_URL / REDIS_URL
# point elsewhere), migrates, builds, and runs the api and the worker until Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/prepare.sh
bash scripts/build.sh

pids=()
stop() {
  trap - INT TERM EXIT
  echo "[up] stopping api and worker" >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

# Same V8 setting as the Docker image (Dockerfile): a young generation sized for ingest's short-lived JSON.
export NODE_OPTIONS="${NODE_OPTIONS:---max-semi-space-size=64}"
node dist/apps/worker/src/main.js & pids+=($!)
node dist/apps/api/src/main.js & pids+=($!)
echo "[up] api on http://127.0.0.1:${API_PORT:-3000}, worker on http://127.0.0.1:${WORKER_PORT:-3001} (Ctrl-C stops both)" >&2
wait -n "${pids[@]}"
