#!/usr/bin/env bash
# The README's test command: install everything, lint, type-check, run every package's tests, sum up the counts.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm install --frozen-lockfile
[ -x scripts/install-browser.sh ] && bash scripts/install-browser.sh
rm -f packages/*/test-results.json apps/*/test-results.json
status=0
# Lint and format first (Biome, lines ≤ 120): a failure is reported and fails the run, but the tests still run.
pnpm lint || status=1
pnpm typecheck || status=1
pnpm test || status=1
node scripts/summarize-tests.mjs || status=1
exit $status
