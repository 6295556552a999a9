#!/usr/bin/env bash
# The core and HTTP test suites once more, on PostgreSQL: a throwaway server
# (scripts/pg-throwaway.sh), a fresh schema per test world, stopped whatever happens.
# Expects the tests built (`swift build --build-tests`).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/pg-throwaway.sh start)"
trap 'scripts/pg-throwaway.sh stop "$STEWARD_TEST_PG_DIR"' EXIT
export STEWARD_TEST_BACKEND=postgres STEWARD_TEST_PG_URL
swift test --skip-build --filter 'StewardCoreTests|StewardHTTPTests'
