#!/usr/bin/env bash
# Compiles apps and libs to dist/ (ESM), after generating the Prisma client.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(type -P true)}" npx prisma generate >/dev/null
rm -rf dist
npx tsc -p tsconfig.build.json
