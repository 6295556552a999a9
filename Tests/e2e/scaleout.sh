#!/usr/bin/env bash
# Scale-out, end to end: three `steward serve` processes (A, B, C) on one shared database,
# driven with curl. They start together and migrate once; a refresh-token replay, a sign-out,
# a role change and a sign-in lock made through one instance are honoured by the others; a
# post written on one is read on another; and killing an instance with SIGKILL while it is
# taking writes loses no write it acknowledged.
#
#   STEWARD_BIN=.build/debug/steward bash Tests/e2e/scaleout.sh
#
# The database is a throwaway PostgreSQL server (scripts/pg-throwaway.sh, which needs the
# PostgreSQL 15 server programs and psql). With SCALEOUT_DB set to a path that does not exist
# yet, the three share that SQLite file instead and no PostgreSQL server is started:
#
#   SCALEOUT_DB=/tmp/x/steward.sqlite STEWARD_BIN=.build/debug/steward bash Tests/e2e/scaleout.sh
#
# Needs curl and jq. Prints one line per check and a final "scaleout.sh: N passed, M failed";
# exits non-zero when a check fails. Every server it started is stopped on exit.
set -euo pipefail

BIN=${STEWARD_BIN:-.build/debug/steward}
[[ -x "$BIN" ]] || { echo "scaleout.sh: no steward binary at $BIN (set STEWARD_BIN)" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
for tool in curl jq python3; do command -v "$tool" >/dev/null || { echo "scaleout.sh: $tool is required" >&2; exit 1; }; done
if [[ -n "${SCALEOUT_DB:-}" ]]; then
  for file in "$SCALEOUT_DB" "$SCALEOUT_DB-wal" "$SCALEOUT_DB-shm"; do
    [[ ! -e "$file" ]] || { echo "scaleout.sh: $file exists; SCALEOUT_DB must name a new file" >&2; exit 1; }
  done
  mkdir -p "$(dirname "$SCALEOUT_DB")"
else
  command -v psql >/dev/null || { echo "scaleout.sh: psql is required" >&2; exit 1; }
fi

WORK=$(mktemp -d)
declare -A PORT PID
WRITER_PIDS=()
PG_DIR=""
cleanup() {
  local pid
  for pid in "${WRITER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PID[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${WRITER_PIDS[@]}" "${PID[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -z "$PG_DIR" ]] || scripts/pg-throwaway.sh stop "$PG_DIR" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Cheap hashing keeps the run quick; the hashing path is the real one.
export STEWARD_ENV=test STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_ARGON2_PARALLELISM=1
# One signing secret for all three (40 characters), and a rate limit no check reaches.
export STEWARD_JWT_SECRET=scaleout-e2e-shared-signing-secret-00001 STEWARD_RATE_LIMIT=100000/1m
export STEWARD_LOG_DIR="$WORK/logs-cli"
unset STEWARD_HOST STEWARD_PORT STEWARD_LOGIN_MAX_FAILURES STEWARD_LOGIN_WINDOW

# From the repository root, as a developer would (scripts/ lives there).
cd "$(dirname "$0")/../.."
if [[ -n "${SCALEOUT_DB:-}" ]]; then
  export STEWARD_DB="$SCALEOUT_DB"
  echo "     database: SQLite file $SCALEOUT_DB (SCALEOUT_DB)"
else
  eval "$(scripts/pg-throwaway.sh start)"
  [[ -n "${STEWARD_TEST_PG_URL:-}" && -n "${STEWARD_TEST_PG_DIR:-}" ]] \
    || { echo "scaleout.sh: the throwaway PostgreSQL server did not start" >&2; exit 1; }
  PG_DIR=$STEWARD_TEST_PG_DIR
  export STEWARD_DB="$STEWARD_TEST_PG_URL"
  echo "     database: throwaway PostgreSQL (${STEWARD_TEST_PG_URL%%:*}://…@${STEWARD_TEST_PG_URL##*@})"
fi

PASSED=0
FAILED=0
check() { # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then
    PASSED=$((PASSED + 1)); echo "ok   $1"
  else
    FAILED=$((FAILED + 1)); echo "FAIL $1: expected '$2', got '$3'"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# call INSTANCE METHOD PATH [BODY] [TOKEN]: sets STATUS and BODY.
call() {
  local args=(-sS --max-time 10 -o "$WORK/body" -w '%{http_code}' -X "$2" "http://127.0.0.1:${PORT[$1]}$3")
  [[ -n "${4:-}" ]] && args+=(-H 'Content-Type: application/json' --data "$4")
  [[ -n "${5:-}" ]] && args+=(-H "Authorization: Bearer $5")
  STATUS=$(curl "${args[@]}" 2>/dev/null) || STATUS="${STATUS:-000}"
  BODY=$(cat "$WORK/body" 2>/dev/null || true)
  : >"$WORK/body"
}

# eventually NAME EXPECTED INSTANCE METHOD PATH [BODY] [TOKEN]: repeats the call every 50 ms
# until it answers EXPECTED or 1 s has passed, and reports how long that took. One process
# notices another's change within about 100 ms (docs/security.md); 1 s is the outer bound.
# Only for idempotent calls: a retry must not itself change what is checked.
eventually() {
  local name=$1 want=$2 started tries=0 waited
  shift 2
  started=$(now_ms)
  while :; do
    tries=$((tries + 1))
    call "$@"
    [[ "$STATUS" == "$want" ]] && break
    [[ $(( $(now_ms) - started )) -ge 1000 ]] && break
    sleep 0.05
  done
  waited=$(( $(now_ms) - started ))
  check "$name (after $waited ms, $tries $([[ $tries -eq 1 ]] && echo try || echo tries))" "$want" "$STATUS"
}

login() { # login INSTANCE EMAIL PASSWORD: sets STATUS, BODY, ACCESS, REFRESH
  call "$1" POST /api/auth/login "$(jq -nc --arg e "$2" --arg p "$3" '{email:$e,password:$p}')"
  ACCESS=$(jq -r '.accessToken // empty' <<<"$BODY" 2>/dev/null || true)
  REFRESH=$(jq -r '.refreshToken // empty' <<<"$BODY" 2>/dev/null || true)
}

register() { # register INSTANCE EMAIL PASSWORD: sets STATUS, BODY, NEW_ID
  call "$1" POST /api/auth/register "$(jq -nc --arg e "$2" --arg p "$3" '{email:$e,password:$p,firstName:"Sam",lastName:"Scale"}')"
  NEW_ID=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null || true)
}

# --- 1. Three instances start together on one empty database, and migrate it once ---------
INSTANCES=(A B C)
start_instance() { # start_instance NAME: `steward serve` in the background, its own port and log folder
  STEWARD_LOG_DIR="$WORK/logs-$1" "$BIN" serve --port "${PORT[$1]}" >"$WORK/$1.log" 2>"$WORK/$1.err" &
  PID[$1]=$!
}
wait_healthy() { # wait_healthy NAME: succeeds once /healthz answers; fails if the process exits or 20 s pass
  local deadline=$(( $(now_ms) + 20000 ))
  until curl -fsS --max-time 2 "http://127.0.0.1:${PORT[$1]}/healthz" >/dev/null 2>&1; do
    kill -0 "${PID[$1]}" 2>/dev/null && [[ $(now_ms) -lt $deadline ]] || return 1
    sleep 0.1
  done
}
for name in "${INSTANCES[@]}"; do PORT[$name]=$(free_port); done
for name in "${INSTANCES[@]}"; do start_instance "$name"; done
came_up=""
for name in "${INSTANCES[@]}"; do
  if wait_healthy "$name"; then came_up+="$name "; continue; fi
  echo "     instance $name (port ${PORT[$name]}) did not start; its stderr:"
  head -40 "$WORK/$name.err" | sed 's/^/     | /'
  if kill -0 "${PID[$name]}" 2>/dev/null; then
    echo "scaleout.sh: instance $name neither answered /healthz nor exited within 20 s" >&2; exit 1
  fi
  wait "${PID[$name]}" 2>/dev/null || true
  # Started again alone, so that one failure to start does not hide the other checks.
  echo "     starting $name again, alone"
  start_instance "$name"
  wait_healthy "$name" || { echo "scaleout.sh: instance $name did not start again; its stderr:" >&2; cat "$WORK/$name.err" >&2; exit 1; }
done
check "three instances started together on an empty database all came up" "A B C " "$came_up"
healthy=""
for name in "${INSTANCES[@]}"; do call "$name" GET /healthz; healthy+="$name:$STATUS:$(jq -r .status <<<"$BODY" 2>/dev/null) "; done
check "three instances started together all answer /healthz" "A:200:ok B:200:ok C:200:ok " "$healthy"

"$BIN" migrate --status >"$WORK/migrations" 2>"$WORK/migrations.err" || true
APPLIED=$(grep -c '^applied ' "$WORK/migrations" || true)
NOT_APPLIED=$(grep -vc '^applied ' "$WORK/migrations" || true)
check "migrate --status: every migration applied ($APPLIED)" "yes 0" "$([[ $APPLIED -gt 0 ]] && echo yes || echo no) $NOT_APPLIED"

# On PostgreSQL: the migrations table holds one row per migration, none twice, however many
# instances migrated together, and as many as `migrate --status` reports applied.
migration_rows() { psql "$STEWARD_TEST_PG_URL" -Atc "SELECT count(*), count(DISTINCT identifier) FROM steward_migrations"; }
if [[ -z "${SCALEOUT_DB:-}" ]]; then
  check "the migrations table has each migration once" "$APPLIED|$APPLIED" "$(migration_rows 2>&1)"
fi

"$BIN" seed --demo >"$WORK/seed.log" 2>&1 || { echo "scaleout.sh: seeding failed:" >&2; cat "$WORK/seed.log" >&2; exit 1; }

login B admin@steward.test 'Admin#Demo2026'
check "the admin signs in on B" "200" "$STATUS"
ADMIN_TOKEN=$ACCESS

MAIN_EMAIL=scale.main@example.com MAIN_PASSWORD='Shared#Rows2026'
register C "$MAIN_EMAIL" "$MAIN_PASSWORD"
check "a user registers on C" "201" "$STATUS"
MAIN_ID=$NEW_ID

# --- 2. A refresh token rotated on A and replayed on B revokes the family everywhere -------
login A "$MAIN_EMAIL" "$MAIN_PASSWORD"
OLD_REFRESH=$REFRESH
call A POST /api/auth/refresh "$(jq -nc --arg r "$OLD_REFRESH" '{refreshToken:$r}')"
NEW_REFRESH=$(jq -r '.refreshToken // empty' <<<"$BODY" 2>/dev/null || true)
check "refresh on A gives a new pair" "200 true true" \
  "$STATUS $(jq -r '(.accessToken|length > 0)' <<<"$BODY" 2>/dev/null) $([[ -n "$NEW_REFRESH" && "$NEW_REFRESH" != "$OLD_REFRESH" ]] && echo true || echo false)"
call B POST /api/auth/refresh "$(jq -nc --arg r "$OLD_REFRESH" '{refreshToken:$r}')"
check "the old refresh token replayed on B is refused" "401" "$STATUS"
call C GET "/api/security-events?event=TOKEN_REUSE&userId=$MAIN_ID" "" "$ADMIN_TOKEN"
check "TOKEN_REUSE is recorded for the user (read on C)" "200 true" \
  "$STATUS $(jq -r '(.items|length) >= 1 and all(.items[]; .event == "TOKEN_REUSE")' <<<"$BODY" 2>/dev/null)"
# Not retried: a refresh that worked would rotate the token, so only the first answer counts.
call C POST /api/auth/refresh "$(jq -nc --arg r "$NEW_REFRESH" '{refreshToken:$r}')"
check "the new refresh token is dead on C (family revoked)" "401" "$STATUS"

# --- 3. A sign-out on A is honoured by B and C -------------------------------------------
login A "$MAIN_EMAIL" "$MAIN_PASSWORD"
TOKEN=$ACCESS
call B GET /api/auth/me "" "$TOKEN"; warm_b=$STATUS
call C GET /api/auth/me "" "$TOKEN"; warm_c=$STATUS
check "the session works on B and C before the sign-out" "200 200" "$warm_b $warm_c"
call A POST /api/auth/logout "" "$TOKEN"
check "sign out on A" "204" "$STATUS"
eventually "the signed-out token is refused on B" 401 B GET /api/auth/me "" "$TOKEN"
eventually "the signed-out token is refused on C" 401 C GET /api/auth/me "" "$TOKEN"

# --- 4. A role change on A is honoured by B and C ----------------------------------------
ROLE_EMAIL=scale.role@example.com ROLE_PASSWORD='Shifting#Roles2026'
register A "$ROLE_EMAIL" "$ROLE_PASSWORD"
ROLE_ID=$NEW_ID
login A "$ROLE_EMAIL" "$ROLE_PASSWORD"
TOKEN=$ACCESS
call B GET /api/auth/me "" "$TOKEN"; warm_b=$STATUS
call C GET /api/auth/me "" "$TOKEN"; warm_c=$STATUS
check "the second user's token works on B and C" "200 200" "$warm_b $warm_c"
call A PUT "/api/users/$ROLE_ID/roles" '{"roles":["user","moderator"]}' "$ADMIN_TOKEN"
check "the admin changes the roles on A" "200 moderator,user" "$STATUS $(jq -r '.roles|sort|join(",")' <<<"$BODY" 2>/dev/null)"
eventually "the token from before the role change is refused on B" 401 B GET /api/auth/me "" "$TOKEN"
eventually "the token from before the role change is refused on C" 401 C GET /api/auth/me "" "$TOKEN"

# --- 5. Five failed sign-ins spread over A, B, C lock the account on all ------------------
LOCK_EMAIL=scale.lock@example.com LOCK_PASSWORD='Locked#Out2026'
register B "$LOCK_EMAIL" "$LOCK_PASSWORD"
check "a third user registers on B" "201" "$STATUS"
answers=""
for name in A B C A B; do
  login "$name" "$LOCK_EMAIL" 'Wrong#Guess2026'
  answers+="$name:$STATUS "
done
# Each is counted before its password is checked; the fifth reaches the limit and locks.
check "the five wrong passwords are each refused with 401" "A:401 B:401 C:401 A:401 B:401 " "$answers"
# Not retried: a sign-in that worked could clear the count it checks.
login C "$LOCK_EMAIL" "$LOCK_PASSWORD"
check "the right password is then refused on C (locked)" "429" "$STATUS"
login A "$LOCK_EMAIL" "$LOCK_PASSWORD"
check "… and on A" "429" "$STATUS"

# --- 6. A post written on A is read on C ------------------------------------------------
login A "$MAIN_EMAIL" "$MAIN_PASSWORD"
TOKEN=$ACCESS
TITLE="Written on A, read on C $$"
call A POST /api/posts "$(jq -nc --arg t "$TITLE" '{title:$t,content:"<p>One database, three servers.</p>",status:"published"}')" "$TOKEN"
check "a published post is written on A" "201 published" "$STATUS $(jq -r .status <<<"$BODY" 2>/dev/null)"
POST_ID=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null || true)
call C GET "/api/posts/$POST_ID"
check "the post is read on C" "200 $TITLE" "$STATUS $(jq -r .title <<<"$BODY" 2>/dev/null)"

# --- 7. SIGKILL of A under write load loses no acknowledged write -----------------------
# Two writers post comments to A as fast as they can; an id is recorded only when curl got a
# complete 201 answer. A is killed with SIGKILL after 1.5 s, then every recorded id must be
# listed through B.
writer() { # writer N
  local n=$1 i=0 out
  while [[ ! -e "$WORK/stop" ]]; do
    i=$((i + 1))
    if out=$(curl -sS --max-time 5 -w '\t%{http_code}' -H 'Content-Type: application/json' \
          -H "Authorization: Bearer $TOKEN" --data "{\"content\":\"load $n-$i\"}" \
          "http://127.0.0.1:${PORT[A]}/api/posts/$POST_ID/comments" 2>/dev/null); then
      [[ "$out" == *$'\t201' ]] && printf '%s\n' "${out%$'\t201'}" >>"$WORK/acked-$n"
    fi
  done
}
: >"$WORK/acked-1"; : >"$WORK/acked-2"
writer 1 & WRITER_PIDS+=($!)
writer 2 & WRITER_PIDS+=($!)
sleep 1.5
kill -9 "${PID[A]}"
wait "${PID[A]}" 2>/dev/null || true
unset 'PID[A]'
sleep 0.2
touch "$WORK/stop"
for pid in "${WRITER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
WRITER_PIDS=()

cat "$WORK/acked-1" "$WORK/acked-2" | jq -r .id | sort -u >"$WORK/acked-ids"
ACKED=$(wc -l <"$WORK/acked-ids")
echo "     writes acknowledged by A before SIGKILL: $ACKED"
check "A acknowledged writes before it was killed" "yes" "$([[ $ACKED -gt 0 ]] && echo yes || echo no)"

: >"$WORK/listed-ids"
cursor="" pages=0
while :; do
  query="limit=100"
  [[ -n "$cursor" ]] && query+="&cursor=$(jq -rn --arg c "$cursor" '$c|@uri')"
  call B GET "/api/posts/$POST_ID/comments?$query"
  [[ "$STATUS" == 200 ]] || break
  pages=$((pages + 1))
  jq -r '.items[].id' <<<"$BODY" >>"$WORK/listed-ids"
  cursor=$(jq -r '.nextCursor // empty' <<<"$BODY")
  [[ -n "$cursor" && $pages -lt 100 ]] || break
done
check "B lists the post's comments" "200" "$STATUS"
sort -u "$WORK/listed-ids" -o "$WORK/listed-ids"
MISSING=$(comm -23 "$WORK/acked-ids" "$WORK/listed-ids" | wc -l)
echo "     comments listed through B: $(wc -l <"$WORK/listed-ids") in $pages pages"
check "every acknowledged comment survived the SIGKILL" "0" "$MISSING"
call C GET /healthz
check "C still answers after A was killed" "200" "$STATUS"

# Moving an SQLite database into an empty PostgreSQL one (PostgreSQL only).
if [[ -z "${SCALEOUT_DB:-}" ]]; then
  instances=$(psql "$STEWARD_TEST_PG_URL" -Atc "SELECT count(DISTINCT instance) FROM request_log WHERE line LIKE '%\"source\":\"http\"%'")
  check "the request lines of all three instances are in the shared log (every console reads them)" "yes" "$([[ $instances -ge 3 ]] && echo yes || echo "no ($instances)")"
  psql "$STEWARD_TEST_PG_ADMIN_URL" -qc "CREATE DATABASE moved OWNER steward" >/dev/null
  MOVED_URL="${STEWARD_TEST_PG_URL%/steward}/moved"
  STEWARD_DB="$WORK/source.sqlite" "$BIN" seed --demo >/dev/null
  if STEWARD_DB="$MOVED_URL" "$BIN" migrate --from-sqlite "$WORK/source.sqlite" >"$WORK/move.out" 2>&1; then moved=yes; else moved=no; cat "$WORK/move.out"; fi
  check "migrate --from-sqlite moves the demo database" "yes" "$moved"
  check "the moved database has the file's posts, comments and users" \
    "$(sqlite3 "$WORK/source.sqlite" "SELECT count(*) FROM posts")|$(sqlite3 "$WORK/source.sqlite" "SELECT count(*) FROM comments")|$(sqlite3 "$WORK/source.sqlite" "SELECT count(*) FROM users")" \
    "$(psql "$MOVED_URL" -Atc "SELECT (SELECT count(*) FROM posts) || '|' || (SELECT count(*) FROM comments) || '|' || (SELECT count(*) FROM users)")"
  MOVED_PORT=$(free_port)
  STEWARD_DB="$MOVED_URL" STEWARD_LOG_DIR="$WORK/logs-moved" "$BIN" serve --port "$MOVED_PORT" >"$WORK/moved.log" 2>"$WORK/moved.err" &
  PID[moved]=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$MOVED_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  status=$(curl -s -o "$WORK/moved-login" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"email":"admin@steward.test","password":"Admin#Demo2026"}' "http://127.0.0.1:$MOVED_PORT/api/auth/login")
  check "the demo admin signs in on the moved database (same password hash)" "200" "$status"
  token=$(jq -r .accessToken "$WORK/moved-login" 2>/dev/null)
  hits=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$MOVED_PORT/api/posts?q=release&limit=100" | jq '.items | length')
  check "search on the moved database finds what SQLite finds" \
    "$(sqlite3 "$WORK/source.sqlite" "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH '\"release\"*'")" "$hits"
  if STEWARD_DB="$MOVED_URL" "$BIN" migrate --from-sqlite "$WORK/source.sqlite" >"$WORK/move2.out" 2>&1; then again=yes; else again=no; fi
  check "a second move into the now full database is refused" "no" "$again"
  check "… saying why" "yes" "$(grep -q 'already holds data' "$WORK/move2.out" && echo yes || echo no)"
fi

echo "scaleout.sh: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
