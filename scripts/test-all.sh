#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint and types, unit tests, a production build, the
# protocol integration tests on SQLite and again on PostgreSQL, then the browser journeys.
set -uo pipefail
cd "$(dirname "$0")/.."

export NEXT_TELEMETRY_DISABLED=1
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
reports=.test-reports
rm -rf "$reports" && mkdir -p "$reports"
status=0

step() {
  local name=$1
  shift
  echo
  echo "=== $name ==="
  if ! "$@"; then
    echo "=== $name FAILED ==="
    status=1
  fi
}

step "setup (native addon, Prisma clients)" npm run setup || exit 1
step "lint and types" npm run lint
step "unit tests" npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/unit.json"
step "production build" npx next build || { echo "build failed: skipping the suites that need it"; node scripts/test-summary.mjs "$reports"; exit 1; }
step "integration tests (SQLite)" npx vitest run --config vitest.integration.config.ts --reporter=default --reporter=json --outputFile.json="$reports/integration-sqlite.json"
step "integration tests (PostgreSQL)" env TEST_DATABASE=postgres npx vitest run --config vitest.integration.config.ts --reporter=default --reporter=json --outputFile.json="$reports/integration-postgres.json"
step "browser journeys (Chromium)" env PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npx playwright test --reporter=list,json

node scripts/test-summary.mjs "$reports" || status=1
exit $status
