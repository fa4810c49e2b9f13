#!/usr/bin/env bash
# Builds dist/ only when a source file is newer than the last build (a no-op otherwise), so a CLI
# call or a second `npm run up` does not cost a full compile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f dist/.built ] || [ -n "$(find apps libs prisma package.json -newer dist/.built -type f -print -quit)" ]; then
  bash scripts/build.sh >&2 && touch dist/.built
fi
