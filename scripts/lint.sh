#!/usr/bin/env bash
# `npm run lint`: typescript-eslint (type-aware), Prettier's check, and knip (unused files, exports,
# dependencies). Runs every check even when an earlier one fails, then fails if any did.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
status=0
echo "[lint] eslint" >&2
npx eslint --max-warnings 0 . || status=1
echo "[lint] prettier --check" >&2
npx prettier --check --log-level warn . || status=1
echo "[lint] knip" >&2
npx knip || status=1
exit "$status"
