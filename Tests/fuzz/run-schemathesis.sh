#!/usr/bin/env bash
# Property-based fuzzing of the HTTP API against its own OpenAPI document (Schemathesis).
#
# Seeds a throw-away database, starts `steward serve` on a free port, signs in as the demo
# admin and lets Schemathesis generate requests from /openapi.json: valid ones must be
# accepted, invalid ones refused, no answer may be a 5xx, and every answer must match the
# status codes, content types and schemas the document gives. Bounded in time: at most
# FUZZ_MAX_EXAMPLES cases per operation and FUZZ_TIMEOUT seconds of wall clock.
#
#   STEWARD_BIN        the binary (default .build/debug/steward)
#   FUZZ_MAX_EXAMPLES  cases per operation and phase (default 30)
#   FUZZ_TIMEOUT       wall-clock limit of the Schemathesis run in seconds (default 150)
#   FUZZ_SEED          Hypothesis seed (default 20260131), so a failure can be replayed
#   FUZZ_VENV          where the Python venv lives (default .build-fuzz/venv)
#
# Ends with `fuzz: N passed, M failed` (API operations) and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${STEWARD_BIN:-.build/debug/steward}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-30}
TIMEOUT=${FUZZ_TIMEOUT:-150}
SEED=${FUZZ_SEED:-20260131}
VENV=${FUZZ_VENV:-.build-fuzz/venv}
SCHEMATHESIS_VERSION=4.32.5

[ -x "$BIN" ] || { echo "fuzz: $BIN not found; run swift build first" >&2; exit 1; }

if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "fuzz: installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

T=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT

# Fast hashing and no rate limit: the fuzzer sends thousands of requests from one address.
export STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_ENV=test STEWARD_RATE_LIMIT=100000/1m
"$BIN" seed --demo --db "$T/db.sqlite" >"$T/seed.log" 2>&1 || { cat "$T/seed.log" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --db "$T/db.sqlite" --port "$PORT" >"$T/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$T/server.log" >&2; echo "fuzz: the server did not start" >&2; exit 1; }
  sleep 0.1
done

TOKEN=$(curl -fsS -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@steward.test","password":"Admin#Demo2026"}' | jq -r .accessToken)
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { echo "fuzz: could not sign in as the demo admin" >&2; exit 1; }

# Left out, because each would end or cripple the fuzzer's own session mid-run and turn
# every later answer into 401 or 403 (which proves nothing):
#   POST /api/auth/logout                  revokes the token the fuzzer uses;
#   POST /api/auth/password                a wrong current password counts toward locking the
#                                          admin account, a right one would end every session;
#   POST /api/users/{id}/reset-password    on the admin's own id, ends the admin's sessions;
#   PUT  /api/users/{id}/roles             on the admin's own id, ends the admin's sessions;
#   PUT  /api/roles/{name}/permissions     can strip the admin role down to roles:update.
# Their request and response shapes are still checked by Tests/StewardHTTPTests.
status=0
SCHEMATHESIS_HOOKS=steward_hooks PYTHONPATH=Tests/fuzz STEWARD_FUZZ_BASE="$BASE" STEWARD_FUZZ_TOKEN="$TOKEN" \
timeout --kill-after=10 "$TIMEOUT" "$VENV/bin/st" run "$BASE/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
  --workers 2 --request-timeout 10 --no-color \
  --header "Authorization: Bearer $TOKEN" \
  --exclude-path-regex '^/api/(auth/logout|auth/password|users/\{id\}/reset-password|users/\{id\}/roles|roles/\{name\}/permissions)$' \
  --output-truncate false \
  --report junit --report-junit-path "$T/junit.xml" || status=$?

if [ "$status" = 124 ] || [ "$status" = 137 ]; then echo "fuzz: Schemathesis ran past ${TIMEOUT}s and was stopped" >&2; fi

python3 - "$T/junit.xml" "$status" <<'PY'
import sys, xml.etree.ElementTree as ET
path, status = sys.argv[1], int(sys.argv[2])
try:
    cases = ET.parse(path).getroot().iter("testcase")
except (OSError, ET.ParseError):
    print("fuzz: 0 passed, 1 failed (no report: Schemathesis exited with %d)" % status)
    sys.exit(1)
passed = failed = 0
for case in cases:
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    else:
        passed += 1
if status != 0 and failed == 0:
    failed = 1
print("fuzz: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
