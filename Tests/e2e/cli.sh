#!/usr/bin/env bash
# The command line as an operator uses it: seed the demo set, reset a password, change
# roles, back up while writing, export, and read the audit trail those left behind.
set -uo pipefail
BIN=${STEWARD_BIN:-.build/debug/steward}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_LOG_DIR="$work/logs"
db="$work/demo.sqlite"
passed=0 failed=0
check() { # check NAME COMMAND...: pass when the command succeeds
  local name=$1; shift
  if "$@" >"$work/out" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; sed 's/^/    /' "$work/out"; fi
}
refuses() { # refuses NAME COMMAND...: pass when the command fails with a message on stderr
  local name=$1; shift
  if "$@" >"$work/out" 2>"$work/err"; then failed=$((failed + 1)); echo "FAIL (succeeded): $name"
  elif [ -s "$work/err" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL (no message): $name"; fi
}
sql() { sqlite3 "$db" "$1"; }

check "seed the demo set" "$BIN" seed --demo --db "$db"
check "14 demo users" test "$(sql 'SELECT count(*) FROM users')" = 14
check "60 posts in every status" test "$(sql "SELECT count(DISTINCT status) || '/' || count(*) FROM posts")" = "3/60"
refuses "seeding twice" "$BIN" seed --demo --db "$db"

"$BIN" user reset-password --email USER@steward.test --db "$db" >"$work/reset" 2>&1
check "reset prints a one-time password" grep -q "one-time password for user@steward.test: " "$work/reset"
check "PASSWORD_RESET recorded by the command line" test "$(sql "SELECT event || ',' || client FROM security_events WHERE event = 'PASSWORD_RESET'")" = "PASSWORD_RESET,cli"
echo 'N3w#Passphrase!' | "$BIN" user reset-password --email user@steward.test --password-stdin --db "$db" >/dev/null 2>&1
check "password from stdin stored as argon2id" test "$(sql "SELECT substr(password_hash, 1, 10) FROM users WHERE email = 'user@steward.test'")" = '$argon2id$'
refuses "a common password" sh -c "echo 'Password1!' | '$BIN' user reset-password --email user@steward.test --password-stdin --db '$db'"
refuses "an unknown email" "$BIN" user reset-password --email nobody@steward.test --db "$db"

check "set roles" "$BIN" user set-roles --email user@steward.test --roles moderator,user --db "$db"
check "ROLE_CHANGE recorded" test "$(sql "SELECT count(*) FROM security_events WHERE event = 'ROLE_CHANGE'")" = 1
refuses "an unknown role" "$BIN" user set-roles --email user@steward.test --roles wizard --db "$db"
check "create a user" sh -c "echo 'Fresh#Start2026' | '$BIN' user create --email new@steward.test --first-name Nia --last-name Long --role user --password-stdin --db '$db'"
refuses "a bad name and email" sh -c "echo 'Fresh#Start2026' | '$BIN' user create --email bad --first-name 'X' --last-name 'Y2' --password-stdin --db '$db'"

# Back up while another process writes.
( for i in $(seq 1 200); do sql "INSERT INTO post_creations(author_id, created_at) VALUES (1, '2026-01-01T00:00:00.000Z')" 2>/dev/null; done ) &
writer=$!
check "backup while writing" "$BIN" backup --db "$db" --out "$work/backups/"
wait $writer
backup=$(ls "$work"/backups/steward-*.sqlite | head -1)
check "backup passes integrity_check" test "$(sqlite3 "$backup" 'PRAGMA integrity_check')" = ok
refuses "backup over an existing file" "$BIN" backup --db "$db" --out "$backup"
sleep 1; "$BIN" backup --db "$db" --out "$work/backups/" >/dev/null 2>&1
sleep 1; "$BIN" backup --db "$db" --out "$work/backups/" --keep 2 >/dev/null 2>&1
check "--keep 2 prunes older backups" test "$(ls "$work"/backups/steward-*.sqlite | wc -l)" = 2

check "export users as JSON lines" sh -c "'$BIN' export --what users --db '$db' | jq -e -s 'length == 15 and all(has(\"email\") and (has(\"passwordHash\") | not))'"
check "export posts as CSV" sh -c "'$BIN' export --what posts --format csv --db '$db' --out '$work/posts.csv' && test \$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))))' '$work/posts.csv') = 61"
check "export the audit trail" sh -c "'$BIN' export --what security-events --db '$db' | jq -e -s 'map(.event) | index(\"PASSWORD_RESET\") != null'"
check "backups are private (0600)" test "$(stat -c %a "$(ls "$work"/backups/steward-*.sqlite | tail -1)")" = 600
check "BACKUP recorded for each copy" test "$(sql "SELECT count(*) FROM security_events WHERE event = 'BACKUP' AND client = 'cli'")" = 3
refuses "export over an existing file" "$BIN" export --what posts --format csv --db "$db" --out "$work/posts.csv"
check "export --force replaces it" "$BIN" export --what posts --format csv --db "$db" --out "$work/posts.csv" --force
check "CSV records end in CRLF" python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); sys.exit(0 if d.split(b'\n')[0].endswith(b'\r') and d.endswith(b'\r\n') else 1)" "$work/posts.csv"
check "the database, its WAL and the secret are private (0600)" sh -c "test \"\$(stat -c %a '$db')\" = 600 && test \"\$(stat -c %a '$db.secret')\" = 600"
check "the log folder is private (0700) and its files 0600" sh -c "test \"\$(stat -c %a '$work/logs')\" = 700 && test -z \"\$(find '$work/logs' -type f ! -perm 600)\""
check "exports are private (0600)" test "$(stat -c %a "$work/posts.csv")" = 600
check "export into a folder" sh -c "'$BIN' export --what users --format jsonl --db '$db' --out '$work/exports/' && ls '$work'/exports/steward-users-*.jsonl"
check "EXPORT recorded" test "$(sql "SELECT count(*) >= 4 FROM security_events WHERE event = 'EXPORT'")" = 1
check "steward user unlock is audited" sh -c "'$BIN' user unlock --email user@steward.test --db '$db' && test \"\$(sqlite3 '$db' \"SELECT count(*) FROM security_events WHERE event = 'ACCOUNT_UNLOCKED' AND client = 'cli'\")\" = 1"
refuses "generated volumes are refused in production" env STEWARD_ENV=production STEWARD_JWT_SECRET=0123456789abcdef0123456789abcdef0123 "$BIN" seed --users 3 --db "$work/prod.sqlite"
sql "UPDATE posts SET title = 'Evil ' || char(27) || ']0;pwned' || char(7) || ' title' WHERE id = 1"
check "export to a terminal keeps stored escape sequences inert" sh -c "script -qec \"'$BIN' export --what posts --format csv --db '$db'\" /dev/null | grep -q '␛]0;pwned␇' && ! script -qec \"'$BIN' export --what posts --format csv --db '$db'\" /dev/null | grep -q \"\$(printf '\\033]0;')\""
check "export to a pipe keeps the exact bytes" sh -c "'$BIN' export --what posts --format csv --db '$db' | grep -q \"\$(printf '\\033]0;pwned')\""
check "no password or hash in any export" sh -c "! '$BIN' export --what users --db '$db' | grep -q argon2"

check "sanitize strips scripts" sh -c "echo '<p onclick=x>hi<script>alert(1)</script></p>' | '$BIN' sanitize | grep -qx '<p>hi</p>'"
refuses "a bad variable is named" env STEWARD_LOGIN_WINDOW=forever "$BIN" migrate --db "$db"
check "migrate --status lists applied migrations" sh -c "'$BIN' migrate --status --db '$db' | grep -c '^applied' | grep -qx 6"
check "audit trail is append-only" sh -c "! sqlite3 '$db' 'DELETE FROM security_events' 2>/dev/null"

echo "cli.sh: $passed passed, $failed failed"
[ "$failed" = 0 ]
