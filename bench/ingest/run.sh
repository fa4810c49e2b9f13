#!/usr/bin/env bash
# `npm run bench:ingest`: starts (or reuses) Postgres and Redis like `npm test`, builds, and runs the
# benchmark once. It creates and drops its own database (verilock_bench) on that cluster.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/prepare.sh
bash scripts/build.sh
npx tsc -p bench/tsconfig.json
node dist/bench/ingest/main.js "$@"
