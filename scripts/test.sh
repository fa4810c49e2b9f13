#!/usr/bin/env bash
# `npm test`: the whole suite against a real Postgres and Redis (started here unless DATABASE_URL
# and REDIS_URL are set), plus a type check and `npm run lint`. Extra arguments go to jest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Set-up (and the teardown of services it started) is with-services.sh's; it runs this script again.
if [ "${VERILOCK_TEST_INSIDE:-}" != 1 ]; then
  VERILOCK_TEST_INSIDE=1 exec bash scripts/with-services.sh bash scripts/test.sh "$@"
fi

echo "[test] type check" >&2
npx tsc -p tsconfig.json --noEmit

# Lint (eslint, prettier --check, knip) fails the run, but jest still runs so one nit hides no test result.
echo "[test] lint" >&2
lint=0
bash scripts/lint.sh || lint=$?

echo "[test] jest" >&2
mkdir -p .local
status=0
node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js --runInBand \
  --json --outputFile=.local/jest-results.json "$@" || status=$?
# One plain closing line that any CI reads: "jest: N passed, N failed, N skipped".
node -e 'const r = require("./.local/jest-results.json");
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' || true
if [ "$lint" != 0 ]; then echo "[test] lint failed (see [lint] above): npm run format fixes most of it" >&2; fi
[ "$status" = 0 ] && exit "$lint"
exit "$status"
