#!/usr/bin/env bash
# `npm run -s keys|failed|support|ship -- …`: the operator CLIs. keys and failed work on the same Postgres
# and Redis `npm run up` uses (the private ones, started if needed, unless DATABASE_URL / REDIS_URL
# point elsewhere); support and ship only talk to a running api (ship --sink queue: to REDIS_URL). Set-up output goes to stderr, so with
# `npm run -s` (no npm banner) stdout holds only the command's output and can be piped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
cli="$1"; shift
if [ "$cli" != support ] && [ "$cli" != ship ]; then
  PREPARE_PACKAGES="" source scripts/prepare.sh >&2
fi
bash scripts/build-if-stale.sh
exec node "dist/apps/cli/src/$cli.js" "$@"
