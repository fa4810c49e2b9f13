#!/usr/bin/env bash
# `npm run bench:ingest` (inside scripts/with-services.sh): builds and runs the benchmark once. It
# creates and drops its own database (verilock_bench) on the running Postgres.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/build.sh
npx tsc -p bench/tsconfig.json
node dist/bench/ingest/main.js "$@"
