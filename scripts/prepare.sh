#!/usr/bin/env bash
# Shared set-up for `npm test` and `npm run up`: dependencies, the generated Prisma client, and a
# migrated database. Safe to run again; each step is skipped when already done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[prepare] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

# `prisma generate` needs no schema engine, but Prisma insists the binary exists; its download host
# is unreachable here, so point it at any file (only `prisma migrate` would run it).
if [ ! -f libs/database/src/generated/prisma/client.ts ] || [ prisma/schema.prisma -nt libs/database/src/generated/prisma/client.ts ]; then
  echo "[prepare] prisma generate" >&2
  PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(type -P true)}" npx prisma generate >/dev/null
fi

# Tools the test suite drives for real: promtool/prometheus/amtool (rules, dashboards' PromQL) and
# headless Chromium (the support page), docker-compose (validates docker-compose.yml; no engine needed);
# wrk, the query benchmark's HTTP client.
# Installed from Debian's packages when missing.
missing=()
command -v promtool >/dev/null || missing+=(prometheus)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)
command -v chromium >/dev/null || missing+=(chromium)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v wrk >/dev/null || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ] && [ "${VERILOCK_SKIP_TOOLS:-0}" != 1 ]; then
  echo "[prepare] installing ${missing[*]} from Debian packages" >&2
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

source scripts/services.sh start
node scripts/migrate.mjs
