#!/usr/bin/env bash
# Runs a command after the set-up `npm test` uses (dependencies, Prisma client, Postgres and Redis,
# migrations); Postgres and Redis it had to start are stopped again afterwards.
#   bash scripts/with-services.sh <command> [args…]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
started=0
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] || started=1
source scripts/prepare.sh
[ "$started" = 1 ] && trap 'bash scripts/services.sh stop' EXIT
"$@"
