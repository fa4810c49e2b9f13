#!/usr/bin/env bash
# `npm run bench:ingest`: starts (or reuses) Postgres and Redis like `npm test`, builds, and runs the
# benchmark once. It creates and drops its own database (verilock_bench) on that cluster, and stops
# the services afterwards if it started them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
started=0
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] || started=1
source scripts/prepare.sh
[ "$started" = 1 ] && trap 'bash scripts/services.sh stop' EXIT
bash scripts/build.sh
npx tsc -p bench/tsconfig.json
node dist/bench/ingest/main.js "$@"
