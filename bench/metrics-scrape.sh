#!/usr/bin/env bash
# `npm run bench:metrics`: series count and scrape time of /metrics after 100,000 varied records,
# against the same private Postgres and Redis `npm test` uses (started, then stopped if it started them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=0
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] || started=1
source scripts/prepare.sh
[ "$started" = 1 ] && trap 'bash scripts/services.sh stop' EXIT
node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
  --selectProjects integration --testMatch '<rootDir>/bench/*.bench.ts' --verbose=false
