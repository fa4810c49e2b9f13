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

# Debian packages of the tools the caller drives, installed when missing. The default is the test
# suite's set (`npm test`, benches): promtool/prometheus/amtool (rules, dashboards' PromQL, the alert
# delivered end to end), headless Chromium (the support page), docker-compose (validates
# docker-compose.yml; no engine needed), wrk (the benchmarks' HTTP client), nginx (the file source's
# end-to-end test runs its own master, never the package's service). `npm run up` asks only for
# what it runs (PREPARE_PACKAGES="prometheus prometheus-alertmanager"), the CLIs for nothing.
# VERILOCK_SKIP_TOOLS=1 never installs anything.
# nginx lives in /usr/sbin, which a non-root PATH often lacks.
declare -A tool_of=([prometheus]=promtool [prometheus-alertmanager]=amtool [chromium]=chromium [docker-compose]=docker-compose [wrk]=wrk [nginx]=/usr/sbin/nginx)
missing=()
for package in ${PREPARE_PACKAGES-prometheus prometheus-alertmanager chromium docker-compose wrk nginx}; do
  command -v "${tool_of[$package]:-$package}" >/dev/null || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ] && [ "${VERILOCK_SKIP_TOOLS:-0}" != 1 ]; then
  source scripts/apt.sh
  apt_install --no-install-recommends "${missing[@]}"
fi

source scripts/services.sh start
node scripts/migrate.mjs
