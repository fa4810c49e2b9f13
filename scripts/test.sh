#!/usr/bin/env bash
# `npm test`: the whole suite against a real Postgres and Redis (started here unless DATABASE_URL
# and REDIS_URL are set), plus a type check. Extra arguments go to jest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
started=0
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] || started=1
source scripts/prepare.sh
[ "$started" = 1 ] && trap 'bash scripts/services.sh stop' EXIT

echo "[test] type check" >&2
npx tsc -p tsconfig.json --noEmit

echo "[test] jest" >&2
mkdir -p .local
status=0
node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js --runInBand \
  --json --outputFile=.local/jest-results.json "$@" || status=$?
# One plain closing line that any CI reads: "jest: N passed, N failed, N skipped".
node -e 'const r = require("./.local/jest-results.json");
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' || true
exit "$status"
