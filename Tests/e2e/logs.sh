#!/usr/bin/env bash
# End-to-end test of the Logs tab in a real terminal (tmux at 120×36): `steward console
# --serve` on a fresh demo database, signed in as the demo admin, tab 5. Sends 100 requests
# with curl (200s, 404s and 401s), and checks that they show up in the tail with their
# status colours (capture-pane -e keeps the SGR codes), that the `/` filter keeps only the
# 4xx lines, that pausing counts new lines without showing them and resuming shows them,
# that the SQL prompt answers and refuses a write, and that the same lines reached the log
# file that `steward logs` reads. Then a separate `steward serve` on the same database and
# log folder answers requests, and a console without a listener of its own shows them in
# its Logs tab, read from the log files.
#
# Usage: STEWARD_BIN=.build/debug/steward bash Tests/e2e/logs.sh
# Set LOGS_E2E_CAPTURE=FILE to keep a capture of the pane under load.
set -u
export LANG=C.UTF-8 LC_ALL=C.UTF-8
BIN=${STEWARD_BIN:-.build/debug/steward}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
for tool in tmux curl sqlite3 jq python3; do command -v $tool >/dev/null || { echo "logs.sh: needs $tool"; exit 1; }; done

WORK=$(mktemp -d /tmp/steward-logs-e2e.XXXXXX)
DB=$WORK/demo.sqlite
SESSION=steward-logs-e2e-$$
# A tmux server of its own: a server already running (another test, a developer's) would
# start the console with that server's environment instead of the variables below.
SOCKET=steward-logs-e2e-$$
tmux() { command tmux -L "$SOCKET" "$@"; }
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE=http://127.0.0.1:$PORT
export STEWARD_LOG_DIR=$WORK/logs STEWARD_ENV=test STEWARD_PORT=$PORT STEWARD_HOST=127.0.0.1
export STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_RATE_LIMIT=10000/1m
passed=0 failed=0

follower=""
server=""
cleanup() {
  [ -n "$follower" ] && kill "$follower" 2>/dev/null
  [ -n "$server" ] && kill "$server" 2>/dev/null
  tmux kill-session -t "$SESSION" 2>/dev/null
  tmux kill-server 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/     | /'; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name" "$(pane)"; fi; }
pane() { tmux capture-pane -p -t "$SESSION" 2>/dev/null; }
# The pane with its colours: SGR sequences kept.
pane_sgr() { tmux capture-pane -p -e -t "$SESSION" 2>/dev/null; }
keys() { tmux send-keys -t "$SESSION" "$@"; }
literal() { tmux send-keys -t "$SESSION" -l "$1"; }
# Waits until the pane shows the text (fixed string), up to 15 s.
wait_for() {
  local i
  for i in $(seq 1 150); do pane | grep -qF -- "$1" && return 0; sleep 0.1; done
  return 1
}
# Waits until the pane matches an extended regular expression, up to 15 s.
wait_match() {
  local i
  for i in $(seq 1 150); do pane | grep -qE -- "$1" && return 0; sleep 0.1; done
  return 1
}
# The tail's rows: the lines of the pane that start with a time of day.
tail_rows() { pane | grep -E '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} '; }
request() {  # request PATH [curl args…]: one request, its status printed
  local path=$1; shift
  curl -s -o /dev/null -w '%{http_code}\n' -A logs-e2e/1.0 "$@" "$BASE$path"
}
send_mix() {  # send_mix N: N requests, 60% 200, 20% 404, 20% 401
  local i
  for i in $(seq 1 "$1"); do
    case $((i % 5)) in
      0) request /api/no-such-route ;;
      1) request /api/auth/me ;;
      *) request "/api/posts?limit=2" ;;
    esac
  done
}

"$BIN" seed --demo --db "$DB" >/dev/null 2>&1 || { echo "logs.sh: seeding failed"; exit 1; }

# --- Start, sign in, open the Logs tab ---------------------------------------------------
# TERM names a 256-colour terminal whatever tmux's default-terminal is, so that the
# colour checks below see the default theme's 256-colour codes.
tmux new-session -d -s "$SESSION" -x 120 -y 36 "cd '$WORK' && env TERM=xterm-256color STEWARD_LOG_DIR='$STEWARD_LOG_DIR' \
  STEWARD_PORT=$PORT STEWARD_HOST=127.0.0.1 STEWARD_ENV=test STEWARD_RATE_LIMIT=$STEWARD_RATE_LIMIT \
  STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 '$BIN' console --db '$DB' --serve; echo CONSOLE-EXITED=\$?; sleep 60"
check "console opens the sign-in screen" wait_for "Sign in to Steward"
literal admin@steward.test; keys Tab; literal 'Admin#Demo2026'; keys Enter
check "admin signed in" wait_for "(admin)"
# Without the test's user agent, so that only the 110 requests below carry it.
listening() { local i; for i in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] && return 0; sleep 0.1; done; return 1; }
check "the HTTP listener answers on port $PORT" listening
keys 5
check "tab 5 is the Logs tab, following the tail" wait_for "Logs  following"
check "the sign-in is in the tail as a security line" wait_match "INFO  security +SUCCESSFUL_LOGIN"

# --- 100 requests ------------------------------------------------------------------------
codes=$(send_mix 100 | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')
check "100 requests answered 200, 401 and 404 ($codes)" test "$codes" = "200x60 401x20 404x20 "
check "request lines appear in the tail" wait_for "GET /api/posts 200"
check "401s appear" wait_for "GET /api/auth/me 401"
check "404s appear" wait_for "GET /api/no-such-route 404"
check "the requests-per-second sparkline counts them" wait_match "req/s .*[0-9.]+/s · [0-9]+ in 60 s"
[ -n "${LOGS_E2E_CAPTURE:-}" ] && pane > "$LOGS_E2E_CAPTURE"
colours=$(pane_sgr)
check "200 is drawn in the success colour (SGR 38;5;114)" grep -qE $'\e\\[[0-9;]*38;5;114m200' <<<"$colours"
check "404 is drawn in the warning colour (SGR 38;5;221)" grep -qE $'\e\\[[0-9;]*38;5;221m404' <<<"$colours"
check "401 is drawn in the warning colour (SGR 38;5;221)" grep -qE $'\e\\[[0-9;]*38;5;221m401' <<<"$colours"
check "INFO is drawn in the level.info colour (SGR 38;5;117)" grep -qE $'\e\\[[0-9;]*38;5;117mINFO' <<<"$colours"

# --- Filter to 4xx -----------------------------------------------------------------------
keys /
literal 4xx
keys Enter
check "the filter is shown in the title" wait_for "filter: 4xx"
only_4xx() { tail_rows | grep -qE ' (200|201|204) ' && return 1; tail_rows | grep -qE ' 40[14] '; }
check "only 4xx request lines are left" only_4xx
check "the filtered count is 40 of all lines" wait_match "40 of [0-9]+ lines"

# --- Pause and resume ----------------------------------------------------------------------
keys p
check "p pauses the tail" wait_for "PAUSED · 0 new"
before=$(tail_rows | tail -1)
send_mix 10 >/dev/null
check "lines arriving while paused are counted" wait_for "PAUSED · 10 new"
check "the paused tail did not move" test "$(tail_rows | tail -1)" = "$before"
keys p
check "p resumes and says how many lines came" wait_match "Resumed: 10 new lines"
check "following again" wait_for "Logs  following"
check "the filtered count now includes the lines that came while paused" wait_match "44 of [0-9]+ lines"
keys Escape
check "Esc clears the filter" wait_match "Logs  following · level ≥ trace · [0-9]+ lines"

# --- The SQL prompt ----------------------------------------------------------------------
keys '\;'  # a bare ; separates tmux commands
literal "SELECT status, count(*) AS n FROM log WHERE status IS NOT NULL GROUP BY status ORDER BY status"
keys Enter
check "the SQL prompt answers with a table" wait_for "SQL · "
check "… counting the 22 404s in the log" wait_match "^404 +22"
keys Escape
# Wait before the next key: Esc followed at once by a key reads as Alt and that key.
check "Esc goes back from the answer to the tail" wait_for "Logs  following"
keys '\;'  # a bare ; separates tmux commands
literal "DELETE FROM log"
keys Enter
check "a write is refused, with the reason" wait_for "Refused: DELETE writes"
keys Escape
check "Esc goes back to the tail" wait_for "Logs  following"
check "the refused statement changed nothing" test "$(sqlite3 "$DB" 'SELECT count(*) FROM security_events')" -gt 0

# --- The same lines in the log file ------------------------------------------------------
logged() { "$BIN" logs --db "$DB" --json --grep logs-e2e | jq -s 'length'; }
file_has_all() { local i; for i in $(seq 1 50); do [ "$(logged)" = 110 ] && return 0; sleep 0.1; done; return 1; }
check "all 110 request lines reached the log file (steward logs --json | jq)" file_has_all
check "the file lines carry the request fields" test "$("$BIN" logs --db "$DB" --json --grep no-such-route | jq -s 'map(select(.status == 404 and .method == "GET" and (.requestId | length) > 0 and .ip == "127.0.0.1" and .durationMs >= 0 and .userAgent == "logs-e2e/1.0")) | length')" = 22
check "steward logs --level warning leaves the requests out" test "$("$BIN" logs --db "$DB" --level warning | grep -c 'logs-e2e')" = 0

keys q
check "q with the listener running asks first" wait_for "Quit the console?"
keys y
check "q quits the console" wait_for "CONSOLE-EXITED=0"

# --- steward logs on its own ---------------------------------------------------------------
"$BIN" logs --db "$DB" | head -1 >"$WORK/head"
status=${PIPESTATUS[0]}
check "steward logs | head ends quietly with status 0 (SIGPIPE ignored)" test "$status" = 0 -a "$(wc -l <"$WORK/head")" = 1
missing=$(env -u STEWARD_LOG_DIR "$BIN" logs --db "$WORK/elsewhere/x.sqlite" 2>&1 >/dev/null; echo "exit=$?")
check "a missing log folder is an error naming it" grep -q "no log folder at $WORK/elsewhere/logs.*exit=1" <<<"$(tr '\n' ' ' <<<"$missing")"
"$BIN" logs --db "$DB" --follow --grep PASSWORD_RESET >"$WORK/follow" 2>&1 &
follower=$!
sleep 0.5
"$BIN" user reset-password --email user@steward.test --db "$DB" >/dev/null 2>&1
followed() { local i; for i in $(seq 1 50); do grep -q "PASSWORD_RESET" "$WORK/follow" && return 0; sleep 0.1; done; return 1; }
check "--follow prints a line written by another process" followed
kill -INT "$follower"
stopped() { local i; for i in $(seq 1 30); do kill -0 "$follower" 2>/dev/null || return 0; sleep 0.1; done; return 1; }
check "--follow stops on SIGINT" stopped
wait "$follower"
check "… with status 0" test $? = 0

# --- Another process's requests in the console ----------------------------------------------
# A `steward serve` of its own on the same database and log folder, and a console without
# `--serve`: the request lines reach the console only through the log files.
SERVE_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
STEWARD_PORT=$SERVE_PORT "$BIN" serve --db "$DB" >"$WORK/serve.out" 2>&1 &
server=$!
serving() { local i; for i in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SERVE_PORT/healthz")" = 200 ] && return 0; sleep 0.1; done; return 1; }
check "a separate steward serve answers on port $SERVE_PORT" serving
tmux kill-session -t "$SESSION" 2>/dev/null
tmux new-session -d -s "$SESSION" -x 120 -y 36 "cd '$WORK' && env TERM=xterm-256color STEWARD_LOG_DIR='$STEWARD_LOG_DIR' \
  STEWARD_ENV=test STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 '$BIN' console --db '$DB'; echo CONSOLE-EXITED=\$?; sleep 60"
check "a console without a listener opens" wait_for "Sign in to Steward"
literal admin@steward.test; keys Tab; literal 'Admin#Demo2026'; keys Enter
check "… and signs in" wait_for "(admin)"
keys 5
check "its Logs tab follows the log folder" wait_for "Logs  following"
for n in 1 2 3; do curl -s -o /dev/null -A serve-e2e/1.0 "http://127.0.0.1:$SERVE_PORT/api/serve-e2e-$n"; done
curl -s -o /dev/null -A serve-e2e/1.0 "http://127.0.0.1:$SERVE_PORT/api/posts?limit=1"
check "the other process's 404s appear in the console's tail" wait_match "WARN  http +GET /api/serve-e2e-3 404"
last_row_matches() { local i; for i in $(seq 1 150); do tail_rows | tail -1 | grep -qE -- "$1" && return 0; sleep 0.1; done; return 1; }
check "… and its 200, the newest line" last_row_matches "INFO  http +GET /api/posts 200 "
check "… each once" test "$(tail_rows | grep -c 'GET /api/serve-e2e-2 404')" = 1
[ -n "${LOGS_E2E_SERVE_CAPTURE:-}" ] && pane > "$LOGS_E2E_SERVE_CAPTURE"
keys /
literal "status:404 serve-e2e"
keys Enter
check "status:404 keeps exactly the other process's three 404s" wait_match "filter: status:404 serve-e2e · 3 of [0-9]+ lines"
keys Escape
check "Esc clears the filter" wait_match "Logs  following · level ≥ trace · [0-9]+ lines"
keys '\;'  # a bare ; separates tmux commands
literal "SELECT count(*) AS n FROM log WHERE path LIKE '/api/serve-e2e-%'"
keys Enter
check "the SQL prompt's log table holds them too" wait_match "^3 *$"
keys Escape
check "Esc goes back to the tail" wait_for "Logs  following"
keys q
check "q quits the second console" wait_for "CONSOLE-EXITED=0"
kill -TERM "$server"; wait "$server" 2>/dev/null; server=""

echo "logs.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
