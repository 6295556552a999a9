#!/usr/bin/env bash
# "Install anywhere": the steward binary copied alone into an empty folder and run from /
# must still have its common-password list, demo set and themes, which are compiled in.
# Runs migrate, user create, seed --demo, serve (register and sign in with curl) and
# console --demo in tmux, none of them with a data/ or themes/ folder in reach.
#
# Usage: STEWARD_BIN=.build/debug/steward bash Tests/e2e/install.sh
set -u
export LANG=C.UTF-8 LC_ALL=C.UTF-8
BIN=${STEWARD_BIN:-.build/debug/steward}
for tool in tmux curl; do command -v $tool >/dev/null || { echo "install.sh: needs $tool"; exit 1; }; done
[ -x "$BIN" ] || { echo "install.sh: no binary at $BIN"; exit 1; }

T=$(mktemp -d /tmp/steward-install-e2e.XXXXXX)
cp "$BIN" "$T/steward"
STEWARD=$T/steward
ALONE=$(ls -A "$T")
# The console's per-user demo database goes under this HOME, not the real one.
FAKE_HOME=$T/home
mkdir -p "$FAKE_HOME"
# A tmux server of our own, so its environment is ours and killing it touches nothing else.
SOCKET=steward-install-$$
SESSION=install
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  tmux -L "$SOCKET" kill-server 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT INT TERM

# Cheap hashing keeps the run quick; the hashing path is the real one.
export STEWARD_ENV=test STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_ARGON2_PARALLELISM=1
unset STEWARD_DB STEWARD_HOST STEWARD_PORT STEWARD_JWT_SECRET STEWARD_LOG_DIR STEWARD_THEME STEWARD_THEME_DIR XDG_DATA_HOME

passed=0 failed=0
check() { # check NAME COMMAND...: pass when the command succeeds
  local name=$1; shift
  if "$@" >"$T/out" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     | /' "$T/out"; fi
}
refuses() { # refuses NAME COMMAND...: pass when the command fails with a message on stderr
  local name=$1; shift
  if "$@" >"$T/out" 2>"$T/err"; then failed=$((failed + 1)); echo "FAIL (succeeded) $name"
  elif [ -s "$T/err" ]; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL (no message) $name"; fi
}

cd / || exit 1
check "the binary is alone in its folder" test "$ALONE" = steward
check "no data/ or themes/ in the working folder" test ! -e /data -a ! -e /themes

check "migrate" "$STEWARD" migrate --db "$T/x.sqlite"
refuses "user create refuses a common password" sh -c "echo 'Password1!' | '$STEWARD' user create --email common@steward.test --first-name Cora --last-name Mon --password-stdin --db '$T/x.sqlite'"
check "the refusal names the rule" grep -q "too common" "$T/err"
check "user create" sh -c "echo 'Fresh#Start2026' | '$STEWARD' user create --email new@steward.test --first-name Nia --last-name Long --role admin --password-stdin --db '$T/x.sqlite'"

check "seed --demo" sh -c "'$STEWARD' seed --demo --db '$T/demo.sqlite' >'$T/seed.out'"
check "the whole demo set" grep -q "14 users, 60 posts, 200 comments" "$T/seed.out"

# serve on a free port: register, then sign in.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)))
BASE="http://127.0.0.1:$PORT"
"$STEWARD" serve --db "$T/api.sqlite" --port "$PORT" >"$T/server.log" 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
post() { curl -sS -o "$T/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data "$2" "$BASE$1"; }
check "register answers 201" test "$(post /api/auth/register '{"email":"day.user@example.com","password":"Sunny#Day2026","firstName":"Dana","lastName":"Day"}')" = 201
check "register refuses a common password with 400" test "$(post /api/auth/register '{"email":"weak@example.com","password":"Password1!","firstName":"Wes","lastName":"Weak"}')" = 400
check "login answers 200" test "$(post /api/auth/login '{"email":"day.user@example.com","password":"Sunny#Day2026"}')" = 200
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=

# Themes: the built-ins are listed, and STEWARD_THEME_DIR adds to them.
refuses "an unknown theme" "$STEWARD" console --theme nope --db "$T/x.sqlite"
check "its error lists the built-in themes" grep -q "the themes are default, high-contrast, light, monochrome" "$T/err"
mkdir -p "$T/themes" && echo "header = bold" >"$T/themes/mine.theme"
refuses "an unknown theme with STEWARD_THEME_DIR" env STEWARD_THEME_DIR="$T/themes" "$STEWARD" console --theme nope --db "$T/x.sqlite"
check "its error lists the folder's theme too" grep -q "light, mine, monochrome" "$T/err"

# console --demo in a terminal, from /, with the demo database under HOME.
pane() { tmux -L "$SOCKET" capture-pane -p -t "$SESSION" 2>/dev/null; }
wait_for() { # wait_for TEXT: until the pane shows it, up to 30 s (the first run seeds the demo set)
  local i
  for i in $(seq 1 300); do pane | grep -qF -- "$1" && return 0; sleep 0.1; done
  return 1
}
tmux -L "$SOCKET" -f /dev/null new-session -d -s "$SESSION" -x 120 -y 36 \
  "cd / && env HOME='$FAKE_HOME' LANG=C.UTF-8 LC_ALL=C.UTF-8 '$STEWARD' console --demo --theme light; echo CONSOLE-EXITED=\$?; sleep 60"
if wait_for "Sign in to Steward"; then passed=$((passed + 1)); echo "ok   console --demo shows the sign-in screen"
else failed=$((failed + 1)); echo "FAIL console --demo shows the sign-in screen"; pane | sed 's/^/     | /'; fi
check "the demo database is in ~/.local/share/steward" test -s "$FAKE_HOME/.local/share/steward/demo.sqlite"
tmux -L "$SOCKET" send-keys -t "$SESSION" Escape
if wait_for "CONSOLE-EXITED=0"; then passed=$((passed + 1)); echo "ok   Escape quits the console cleanly"
else failed=$((failed + 1)); echo "FAIL Escape quits the console cleanly"; pane | sed 's/^/     | /'; fi
check "nothing was written to the working folder" test ! -e /data -a ! -e /logs -a ! -e /.local

echo "install.sh: $passed passed, $failed failed"
[ "$failed" = 0 ]
