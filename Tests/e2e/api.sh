#!/usr/bin/env bash
# End-to-end: the real `steward serve` binary on a fresh demo database, driven with curl
# through a user's day: register, sign in, post, comment; a moderator publishes; an admin
# resets the user's password; the old token is refused.
#
#   STEWARD_BIN=.build/debug/steward bash Tests/e2e/api.sh
#
# Needs curl and jq. Prints one line per check and a final "api.sh: N passed, M failed";
# exits non-zero when a check fails. The server is always stopped on exit.
set -euo pipefail

BIN=${STEWARD_BIN:-.build/debug/steward}
[[ -x "$BIN" ]] || { echo "api.sh: no steward binary at $BIN (set STEWARD_BIN)" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
for tool in curl jq; do command -v "$tool" >/dev/null || { echo "api.sh: $tool is required" >&2; exit 1; }; done

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Cheap hashing keeps the run quick; the hashing path is the real one.
export STEWARD_ENV=test STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_ARGON2_PARALLELISM=1
export STEWARD_DB="$WORK/steward.sqlite" STEWARD_LOG_DIR="$WORK/logs"
unset STEWARD_HOST STEWARD_PORT STEWARD_JWT_SECRET

# Seed from the repository root, as a developer would; install.sh covers running from elsewhere.
cd "$(dirname "$0")/../.."
"$BIN" seed --demo >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)))
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --port "$PORT" >"$WORK/server.log" 2>"$WORK/server.err" &
SERVER_PID=$!

for _ in $(seq 1 100); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "api.sh: the server exited:" >&2; cat "$WORK/server.err" >&2; exit 1; }
  sleep 0.1
done

PASSED=0
FAILED=0
check() { # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then
    PASSED=$((PASSED + 1)); echo "ok   $1"
  else
    FAILED=$((FAILED + 1)); echo "FAIL $1: expected '$2', got '$3'"
  fi
}

# call METHOD PATH [BODY] [TOKEN]: sets STATUS and BODY.
call() {
  local args=(-sS -o "$WORK/body" -w '%{http_code}' -X "$1" "$BASE$2")
  [[ -n "${3:-}" ]] && args+=(-H 'Content-Type: application/json' --data "$3")
  [[ -n "${4:-}" ]] && args+=(-H "Authorization: Bearer $4")
  STATUS=$(curl "${args[@]}")
  BODY=$(cat "$WORK/body")
}

call GET /healthz
check "healthz" '200 ok' "$STATUS $(jq -r .status <<<"$BODY")"

call POST /api/auth/register '{"email":"Day.User@Example.com","password":"Sunny#Day2026","firstName":"Dana","lastName":"Day"}'
check "register answers 201 with the user" '201 day.user@example.com user' "$STATUS $(jq -r '.email + " " + (.roles|join(","))' <<<"$BODY")"
USER_ID=$(jq -r .id <<<"$BODY")

call POST /api/auth/login '{"email":"day.user@example.com","password":"Sunny#Day2026"}'
check "sign in" '200 Bearer' "$STATUS $(jq -r .tokenType <<<"$BODY")"
TOKEN=$(jq -r .accessToken <<<"$BODY")

call GET /api/auth/me "" "$TOKEN"
check "me carries permissions" '200 true' "$STATUS $(jq -r '.permissions|index("posts:create") != null' <<<"$BODY")"

call POST /api/posts '{"title":"My first day","content":"<p>Hello from <b>Dana</b><script>alert(1)</script></p>","tags":["Diary"]}' "$TOKEN"
check "create a draft post" '201 draft diary' "$STATUS $(jq -r '.status + " " + (.tags|join(","))' <<<"$BODY")"
check "content is cleaned" 'false' "$(jq -r '.content|contains("script")' <<<"$BODY")"
POST_ID=$(jq -r .id <<<"$BODY")

call GET "/api/posts/$POST_ID"
check "a draft is hidden from anonymous readers" '404 true' "$STATUS $(jq -r '.requestId != null' <<<"$BODY")"

call POST "/api/posts/$POST_ID/comments" '{"content":"Adding a note to my own post."}' "$TOKEN"
check "comment on the post" '201 null' "$STATUS $(jq -r .parentId <<<"$BODY")"

call POST /api/auth/login '{"email":"moderator@steward.test","password":"Moderator#Demo2026"}'
MOD_TOKEN=$(jq -r .accessToken <<<"$BODY")
call POST "/api/posts/$POST_ID/publish" "" "$TOKEN"
check "the author cannot publish" '403' "$STATUS"
call POST "/api/posts/$POST_ID/publish" "" "$MOD_TOKEN"
check "the moderator publishes" '200 published' "$STATUS $(jq -r .status <<<"$BODY")"

call GET "/api/posts/$POST_ID/comments"
check "anyone reads the published post's comments" '200 1' "$STATUS $(jq -r '.items|length' <<<"$BODY")"

call POST /api/auth/login '{"email":"admin@steward.test","password":"Admin#Demo2026"}'
ADMIN_TOKEN=$(jq -r .accessToken <<<"$BODY")
call POST "/api/users/$USER_ID/reset-password" "" "$ADMIN_TOKEN"
check "the admin resets the password" '200 true' "$STATUS $(jq -r '(.temporaryPassword|length) >= 12' <<<"$BODY")"
TEMPORARY=$(jq -r .temporaryPassword <<<"$BODY")

call GET /api/auth/me "" "$TOKEN"
check "the old token is refused" '401' "$STATUS"

call POST /api/auth/login "$(jq -n --arg p "$TEMPORARY" '{email:"day.user@example.com",password:$p}')"
check "the temporary password signs in" '200' "$STATUS"

call GET "/api/security-events?event=PASSWORD_RESET&userId=$USER_ID" "" "$ADMIN_TOKEN"
check "the reset is in the audit trail" '200 1' "$STATUS $(jq -r '.items|length' <<<"$BODY")"

kill -TERM "$SERVER_PID"
set +e
wait "$SERVER_PID"
CODE=$?
set -e
SERVER_PID=""
check "SIGTERM stops the server cleanly" '0' "$CODE"
NOT_JSON=$(jq -c . "$WORK/server.log" >/dev/null 2>&1 && { grep -v '^{' "$WORK/server.log" || true; } | wc -l || echo "unparsable")
check "stdout holds only JSON log lines" '0' "${NOT_JSON// /}"

echo "api.sh: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
