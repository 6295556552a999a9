#!/usr/bin/env bash
# End-to-end test of `steward console` in a real terminal (tmux at 120×36): moderation as
# the demo moderator, account management as the demo admin, permissions offered per
# account, stored escape sequences shown inert, `y` copying through OSC 52 into tmux's
# paste buffer, and the tab and filters remembered from one run to the next. Checks the
# database with sqlite3.
#
# tmux runs as a private server (its own socket folder, no configuration file) with
# `set-clipboard on`, and every console gets a fresh XDG_CONFIG_HOME unless a step shares
# one on purpose, so runs leak no preferences into each other or into your home.
#
# Usage: STEWARD_BIN=.build/debug/steward bash Tests/e2e/console.sh
set -u
export LANG=C.UTF-8 LC_ALL=C.UTF-8
BIN=${STEWARD_BIN:-.build/debug/steward}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
# Run from the repository, as a developer would; install.sh covers running from elsewhere.
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO" || exit 1
for tool in tmux sqlite3; do command -v $tool >/dev/null || { echo "console.sh: needs $tool"; exit 1; }; done

WORK=$(mktemp -d /tmp/steward-console-e2e.XXXXXX)
DB=$WORK/e2e.sqlite
SESSION=steward-e2e-$$
export STEWARD_LOG_DIR=$WORK/logs STEWARD_ENV=test
# Every tmux call below, the ones in `bash -c` included, talks to this script's own server.
mkdir -p "$WORK/tmux"
export TMUX_TMPDIR=$WORK/tmux
unset TMUX
passed=0 failed=0

cleanup() {
  tmux kill-server 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
# A spare session keeps the tmux server up between consoles: killing the only session makes
# the server exit, and a new-session that races that exit fails ("server exited
# unexpectedly"), which failed a CI run on a slow machine.
tmux -f /dev/null new-session -d -s spare -x 20 -y 5 "sleep 100000"

ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/     | /'; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name" "$(pane)"; fi; }
pane() { tmux capture-pane -p -t "$SESSION" 2>/dev/null; }
sql() { sqlite3 "$DB" "$1"; }
keys() { tmux send-keys -t "$SESSION" "$@"; }
literal() { tmux send-keys -t "$SESSION" -l "$1"; }
# Waits until the pane shows the text (fixed string), up to 15 s.
wait_for() {
  local i
  for i in $(seq 1 150); do pane | grep -qF -- "$1" && return 0; sleep 0.1; done
  return 1
}
# Waits until the pane no longer shows the text, up to 15 s.
wait_gone() {
  local i
  for i in $(seq 1 150); do pane | grep -qF -- "$1" || return 0; sleep 0.1; done
  return 1
}
wait_sql() {  # query, expected value
  local i
  for i in $(seq 1 100); do [ "$(sql "$1")" = "$2" ] && return 0; sleep 0.1; done
  return 1
}
# Waits until tmux's newest paste buffer is exactly the text, up to 5 s.
wait_buffer() {
  local i
  [ -n "$1" ] || return 1  # an empty buffer must not match an empty expectation
  for i in $(seq 1 50); do [ "$(tmux show-buffer 2>/dev/null)" = "$1" ] && return 0; sleep 0.1; done
  echo "     | tmux buffer: $(tmux show-buffer 2>&1 | head -c 200)"
  return 1
}
# Starts a console on $DB with its own config folder: $1 when given (to share what a run
# remembers with the next one), else a fresh one.
start_console() {
  local config=${1:-$(mktemp -d "$WORK/config.XXXXXX")}
  tmux kill-session -t "$SESSION" 2>/dev/null
  tmux -f /dev/null new-session -d -s "$SESSION" -x 120 -y 36 \
    "cd '$REPO' && XDG_CONFIG_HOME='$config' ${CONSOLE_ENV:-} '$BIN' console --db '$DB'; echo CONSOLE-EXITED=\$?; sleep 60"
  # Take OSC 52 from the console into the paste buffer (tmux 3.3 needs nothing more).
  tmux set -g set-clipboard on
  wait_for "Sign in to Steward"
}
sign_in() {
  literal "$1"; keys Tab; literal "$2"; keys Enter
  wait_for "1 Users"
}

"$BIN" seed --demo --db "$DB" >/dev/null 2>&1 || { echo "console.sh: seeding failed"; exit 1; }
# A post whose title holds OSC 0 (set window title) and ED 2 (clear screen), stored raw.
sql "INSERT INTO posts(author_id, title, title_key, content, status, created_at, updated_at)
     VALUES (1, char(27) || ']0;pwned' || char(7) || ' Evil ' || char(27) || '[2J title', 'evil title', '<p>evil</p>', 'published',
             '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z')"

# --- The moderator ---------------------------------------------------------------------
check "console opens the sign-in screen" start_console
sign_in moderator@steward.test 'Moderator#Demo2026'
check "moderator signed in, status bar names the account" wait_for "(moderator)"

keys 3
check "posts tab shows the stored escape sequences inert" wait_for "␛]0;pwned␇ Evil ␛[2J title"
check "the window title was not changed" bash -c "[ \"\$(tmux display -p -t '$SESSION' '#{pane_title}')\" != pwned ]"
check "the screen was not cleared by the title" wait_for "Posts  all statuses"

draft=$(sql "SELECT id FROM posts WHERE status = 'draft' ORDER BY created_at DESC, id DESC LIMIT 1")
keys f
wait_for "status: draft"
keys p
check "moderator publishes draft $draft (sqlite3)" wait_sql "SELECT status FROM posts WHERE id = $draft" published
check "publishing is audited with client console" wait_sql "SELECT count(*) FROM security_events WHERE event = 'CONTENT_MODERATED' AND client = 'console' AND details LIKE '%\"post\":\"$draft\"%'" 1

comment=$(sql "SELECT id FROM comments WHERE status = 'visible' ORDER BY id DESC LIMIT 1")
keys 4
wait_for "Comments  all comments"
keys f
wait_for "status: visible"
keys h
check "moderator hides comment $comment (sqlite3)" wait_sql "SELECT status FROM comments WHERE id = $comment" hidden

keys 1
wait_for "Users  all accounts"
keys '?'
wait_for "Keys · Users"
check "moderator is not offered a password reset" bash -c "! tmux capture-pane -p -t '$SESSION' | grep -q 'reset password'"
keys Escape; sleep 0.3
literal ':reset-password'; keys Enter
wait_for "Reset password"
keys y
check "forcing a reset through : is denied and shown" wait_for "You do not have the permission users:reset-password."
check "the denial is audited" wait_sql "SELECT count(*) > 0 FROM security_events WHERE event = 'PERMISSION_DENIED' AND client = 'console' AND details LIKE '%users:reset-password%'" 1
keys q
check "q quits and the terminal is given back" wait_for "CONSOLE-EXITED=0"

# --- The admin -------------------------------------------------------------------------
start_console
sign_in admin@steward.test 'Admin#Demo2026'
check "admin signed in" wait_for "(admin)"
user_id=$(sql "SELECT id FROM users WHERE email = 'user@steward.test'")
hash_before=$(sql "SELECT password_hash FROM users WHERE id = $user_id")
literal ':search user@steward.test'; keys Enter
wait_for "filter: user@steward.test"
keys r
wait_for "Give user@steward.test a new one-time password"
keys y
check "the one-time password is shown" wait_for "One-time password"
otp=$(pane | grep -A2 'New password for user@steward.test' | sed -n 's/^[│ ]*\([^ │]\{20\}\) *│.*$/\1/p' | head -1)
check "admin resets the password (sqlite3: new hash, event)" bash -c "[ \"\$(sqlite3 '$DB' \"SELECT password_hash FROM users WHERE id = $user_id\")\" != '$hash_before' ] && [ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM security_events WHERE event = 'PASSWORD_RESET' AND user_id = $user_id AND client = 'console'\")\" = 1 ]"
check "the box offers to copy it" wait_for "y copy · Enter close"
keys y
check "y copies the password into tmux's paste buffer (OSC 52)" wait_buffer "$otp"
check "… and the status bar says so" wait_for "Copied the one-time password to the clipboard (OSC 52)"
check "… without showing it" bash -c "! tmux capture-pane -p -t '$SESSION' | tail -1 | grep -qF -- '$otp'"
keys Enter
check "the password is shown only once" bash -c "[ -n '$otp' ]"
check "… and gone once dismissed" wait_gone "$otp"

keys e
wait_for "Roles of user@steward.test"
keys j Space Enter   # roles are listed admin, moderator, user: j moves to moderator
check "admin gives the user the moderator role (sqlite3)" wait_sql "SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles WHERE user_id = $user_id ORDER BY role)" "moderator,user"
check "the role change is audited" wait_sql "SELECT count(*) FROM security_events WHERE event = 'ROLE_CHANGE' AND user_id = $user_id AND client = 'console'" 1
keys q
check "admin console exits cleanly" wait_for "CONSOLE-EXITED=0"

check "quitting ended the console sessions (sqlite3)" wait_sql "SELECT count(*) FROM sessions WHERE client = 'console' AND ended_at IS NULL" 0

# --- Demoted from another terminal -------------------------------------------------------
# The console holds a session, not a copy of the account's rights: a role change made by
# another process ends it, and the next action is refused and sends it back to sign-in.
start_console
sign_in zoe.martin@steward.test 'Zoe#Pixels2026'
check "Zoe (moderator) signed in" wait_for "(moderator)"
check "her console session is recorded (sqlite3)" wait_sql "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'zoe.martin@steward.test' AND s.client = 'console' AND s.ended_at IS NULL" 1
keys 3
wait_for "Posts  all statuses"
keys f
wait_for "status: draft"
draft=$(sql "SELECT id FROM posts WHERE status = 'draft' ORDER BY created_at DESC, id DESC LIMIT 1")
"$BIN" user set-roles --email zoe.martin@steward.test --roles user --db "$DB" >/dev/null 2>&1
keys p
check "the next action sends the console back to sign-in" wait_for "Your session has ended"
check "… on the sign-in screen" wait_for "Sign in to Steward"
pane > "$WORK/demoted.txt"
check "nothing was changed: draft $draft is still a draft (sqlite3)" wait_sql "SELECT status FROM posts WHERE id = $draft" draft
check "the refusal is audited as PERMISSION_DENIED from the console" wait_sql "SELECT count(*) FROM security_events e JOIN users u ON u.id = e.actor_id WHERE u.email = 'zoe.martin@steward.test' AND e.event = 'PERMISSION_DENIED' AND e.client = 'console' AND e.details LIKE '%console session ended%'" 1
sed -n '1,40p' "$WORK/demoted.txt" > "${STEWARD_E2E_CAPTURE:-/dev/null}" 2>/dev/null
keys Escape
check "Esc on the sign-in screen quits" wait_for "CONSOLE-EXITED=0"

# --- The audit trail ---------------------------------------------------------------------
# Tab 6 lists the security events newest first; `/` filters them by words.
start_console
sign_in admin@steward.test 'Admin#Demo2026'
check "admin signed in for the audit tab" wait_for "(admin)"
check "the Audit tab is offered to an account with logs:read" wait_for "6 Audit"
keys 6
check "the Audit tab lists the admin's sign-in" wait_for "SUCCESSFUL_LOGIN"
keys /
literal 'event:SUCCESSFUL_LOGIN'; keys Enter
check "the filter is applied and named in the title" wait_for "Audit  filter: event:SUCCESSFUL_LOGIN"
check "… its rows arrived" wait_for "SUCCESSFUL_LOGIN"
check "… and no other kind of event is listed" bash -c "! tmux capture-pane -p -t '$SESSION' | grep -qE 'USER_UPDATE|LOGOUT|ROLE_CHANGE|PASSWORD_RESET'"
keys q
check "the admin console exits after the audit tab" wait_for "CONSOLE-EXITED=0"

# --- Drill-down, :open N, bulk actions, and another process's lines ---------------------
# `>` offers where the item leads; Esc walks back the way it came, one step at a time.
start_console
sign_in admin@steward.test 'Admin#Demo2026'
check "admin signed in for drill-down" wait_for "(admin)"
comment=$(sql "SELECT id FROM comments ORDER BY id DESC LIMIT 1 OFFSET 3")
cpost=$(sql "SELECT post_id FROM comments WHERE id = $comment")
author=$(sql "SELECT author_id FROM posts WHERE id = $cpost")
keys 4
wait_for "Comments  all comments"
literal ":open $comment"; keys Enter
check ":open $comment shows that comment, not the selected one" wait_for "┌ Comment $comment "
keys '>'
check "> offers the comment's post, author and thread" wait_for "p  post $cpost"
keys p
check "… p: post $cpost in full" wait_for "┌ Post $cpost "
check "… with its comment thread under it" wait_for "Comments ("
keys '>'
wait_for "a  author"
keys a
check "… a: the post's author, user $author" wait_for "┌ User $author "
keys '>'
wait_for "s  their sessions"
keys s
check "… s: their sessions" wait_for "┌ Sessions of user $author "
keys Escape
check "Esc: back to the author" wait_for "┌ User $author "
keys Escape
check "Esc: back to the post" wait_for "┌ Post $cpost "
keys Escape
check "Esc: back to the comment" wait_for "┌ Comment $comment "

# Space marks rows; one confirmation hides them all, each audited on its own.
keys Escape
wait_for "Comments  all comments"
keys g
first=$(sql "SELECT id FROM comments ORDER BY id DESC LIMIT 1")
second=$(sql "SELECT id FROM comments ORDER BY id DESC LIMIT 1 OFFSET 1")
keys Space Space
check "Space marks two comments" wait_for "2 marked"
keys h
check "one question for the two" wait_for "Hide the 2 marked comments?"
keys y
check "both hidden (sqlite3)" wait_sql "SELECT group_concat(status) FROM comments WHERE id IN ($first, $second)" "hidden,hidden"
check "… each audited on its own" wait_sql "SELECT count(*) FROM security_events WHERE event = 'CONTENT_MODERATED' AND client = 'console' AND (details LIKE '%\"comment\":\"$first\"%' OR details LIKE '%\"comment\":\"$second\"%')" 2

# A `steward serve` of its own on the same database and log folder: its request lines
# appear in this console's Logs tab.
PORT2=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
STEWARD_PORT=$PORT2 STEWARD_HOST=127.0.0.1 "$BIN" serve --db "$DB" >"$WORK/serve2.out" 2>&1 &
serve2=$!
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT2/healthz" >/dev/null && break; sleep 0.1; done
curl -s -o /dev/null "http://127.0.0.1:$PORT2/api/e2e-from-another-process"
keys 5
check "the Logs tab shows another process's request line" wait_for "/api/e2e-from-another-process"
keys k '>'
check "> on a request line offers every line of its request" wait_for "r  every line of request"
keys r
check "… r filters the tail to that request" wait_for "filter: request:"
kill "$serve2" 2>/dev/null; wait "$serve2" 2>/dev/null
keys q
check "the drill-down console exits" wait_for "CONSOLE-EXITED=0"

# --- Copying a request id from the Logs tab ----------------------------------------------------
# The console's own listener answers one request; `y` on its line copies the request id
# the log file holds.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CONSOLE_ENV="STEWARD_PORT=$PORT" start_console
sign_in admin@steward.test 'Admin#Demo2026'
keys S
check "the admin starts the listener" wait_for "HTTP 127.0.0.1:$PORT"
curl -s -o /dev/null -H 'X-Request-Id: e2e-copy-request-0001' "http://127.0.0.1:$PORT/healthz"
# Other processes of this script logged /healthz lines into the same folder: the filter
# names this request alone, by the id its client sent (which the log file holds).
request_id=e2e-copy-request-0001
keys 5
keys /; literal "request:$request_id"; keys Enter
# Wait for the line itself: before the filter applies, the unfiltered tail may show other
# /healthz lines, and `y` pressed before the line arrives has nothing to copy.
check "the Logs tab shows the request" wait_for "requestId=$request_id"
check "… the one the log file holds" bash -c "grep -hq '\"requestId\":\"$request_id\"' '$STEWARD_LOG_DIR'/steward.log*"
keys y
check "y copies the selected line's request id into tmux's paste buffer" wait_buffer "$request_id"
check "… and names it in the status bar" wait_for "Copied the request id ${request_id:0:12}"
keys q
wait_for "HTTP listener on 127.0.0.1:$PORT"
keys y
check "the console with the listener exits" wait_for "CONSOLE-EXITED=0"

# --- Remembered between runs ----------------------------------------------------------------
# The tab shown and its filters come back at the next start, from XDG_CONFIG_HOME.
CONFIG=$WORK/remembering
mkdir -p "$CONFIG"
start_console "$CONFIG"
sign_in moderator@steward.test 'Moderator#Demo2026'
keys 3
wait_for "Posts  all statuses"
keys f
wait_for "status: draft"
keys /; literal 'plan'; keys Enter
check "the posts are filtered by status and text" wait_for "status: draft · search: plan"
keys q
check "the console quits" wait_for "CONSOLE-EXITED=0"
check "the preferences file is private (0600 in a 0700 folder)" \
  bash -c "[ \"\$(stat -c %a '$CONFIG/steward/console.json')\" = 600 ] && [ \"\$(stat -c %a '$CONFIG/steward')\" = 700 ]"
start_console "$CONFIG"
sign_in moderator@steward.test 'Moderator#Demo2026'
check "the next run opens on the Posts tab with its filters back" wait_for "Posts  status: draft · search: plan"
keys q
wait_for "CONSOLE-EXITED=0"
start_console
sign_in moderator@steward.test 'Moderator#Demo2026'
check "a console with another config folder starts afresh" wait_for "Users  all accounts"
keys q
wait_for "CONSOLE-EXITED=0"

# --- console --serve on an empty database ------------------------------------------------
# The listener waits for the first admin: until then nobody could register the first
# account of a system that nobody administers.
EMPTY=$WORK/empty.sqlite
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tmux kill-session -t "$SESSION" 2>/dev/null
tmux -f /dev/null new-session -d -s "$SESSION" -x 120 -y 36 \
  "cd '$REPO' && XDG_CONFIG_HOME='$WORK/config-empty' STEWARD_PORT=$PORT '$BIN' console --db '$EMPTY' --serve; echo CONSOLE-EXITED=\$?; sleep 60"
check "an empty database opens the first-run screen" wait_for "Create the first admin"
sleep 1
check "… and the listener is not started yet" bash -c "! curl -s -o /dev/null 'http://127.0.0.1:$PORT/healthz'"
literal "first@steward.test"; keys Tab; literal "Fiona"; keys Tab; literal "First"; keys Tab
literal "First#Admin2026"; keys Tab; literal "First#Admin2026"; keys Enter
check "the first admin is created and signed in" wait_for "(admin)"
check "… and only now the listener answers" bash -c "for i in \$(seq 1 50); do curl -sf 'http://127.0.0.1:$PORT/healthz' >/dev/null && exit 0; sleep 0.1; done; exit 1"
keys q
check "quitting while the listener runs asks first" wait_for "HTTP listener on 127.0.0.1:$PORT"
keys y
check "that console exits cleanly" wait_for "CONSOLE-EXITED=0"

echo "console.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
