#!/usr/bin/env bash
# `npm run keys|failed -- …`: the operator CLIs, against the same Postgres and Redis `npm run up` uses
# (the private ones, started if needed, unless DATABASE_URL / REDIS_URL point elsewhere). Set-up output
# goes to stderr so a created key on stdout can be piped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
cli="$1"; shift
source scripts/prepare.sh >&2
# Rebuild only when a source file is newer than the last build: a CLI call should not cost a full compile.
if [ ! -f dist/.built ] || [ -n "$(find apps libs prisma -newer dist/.built -type f -print -quit)" ]; then
  bash scripts/build.sh >&2 && touch dist/.built
fi
exec node "dist/apps/cli/src/$cli.js" "$@"
