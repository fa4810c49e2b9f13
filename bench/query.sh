#!/usr/bin/env bash
# `npm run bench:query`: the 10M-row query benchmark, against the same private Postgres and Redis
# `npm test` uses (started, then stopped if it started them). See bench/query.mjs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=0
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] || started=1
source scripts/prepare.sh
[ "$started" = 1 ] && trap 'bash scripts/services.sh stop' EXIT
bash scripts/build.sh
node bench/query.mjs "$@"
