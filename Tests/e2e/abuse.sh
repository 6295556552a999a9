#!/usr/bin/env bash
# The abuse a public API meets, against the real binary: a password-guessing burst on one
# email, two thousand slowloris sockets, and clients behind a trusted proxy.
#
# Usage: STEWARD_BIN=.build/debug/steward bash Tests/e2e/abuse.sh
set -uo pipefail
export LANG=C.UTF-8 LC_ALL=C.UTF-8
BIN=${STEWARD_BIN:-.build/debug/steward}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_LOG_DIR="$work/logs" STEWARD_ENV=test
passed=0 failed=0
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$work/out" 2>&1; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     | /' "$work/out"; fi
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
serve() { # serve DB PORT [ENV=VALUE...]: starts `steward serve`, waits for /healthz
  local db=$1 port=$2; shift 2
  env "$@" "$BIN" serve --db "$db" --port "$port" >"$work/serve-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "abuse.sh: the server on $port did not start"; cat "$work/serve-$port.log"; exit 1
}

db=$work/abuse.sqlite
"$BIN" seed --demo --db "$db" >/dev/null 2>&1 || { echo "abuse.sh: seeding failed"; exit 1; }
port=$(free_port)
serve "$db" "$port"

# --- 200 parallel wrong-password logins for one email ----------------------------------
python3 - "$port" >"$work/burst" <<'PY'
import json, sys, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor
port = sys.argv[1]
def attempt(i):
    body = json.dumps({"email": "user@steward.test", "password": f"Wrong#Guess{i}"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/login", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        return urllib.request.urlopen(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code
with ThreadPoolExecutor(max_workers=64) as pool:
    codes = list(pool.map(attempt, range(200)))
print(json.dumps({str(code): codes.count(code) for code in set(codes)}))
PY
burst=$(cat "$work/burst")
verified=$(sqlite3 "$db" "SELECT count(*) FROM security_events WHERE event = 'FAILED_LOGIN' AND details LIKE '%user@steward.test%'")
echo "     burst answers: $burst; FAILED_LOGIN (= argon2 verifications of a wrong password): $verified"
check "at most STEWARD_LOGIN_MAX_FAILURES (5) guesses were verified" test "$verified" -le 5
check "every other guess got 429" python3 -c "import json,sys; c = json.loads(sys.argv[1]); sys.exit(0 if c.get('429', 0) >= 195 and c.get('401', 0) <= 5 and sum(c.values()) == 200 else 1)" "$burst"
check "the lock is recorded as ACCOUNT_LOCKED" test "$(sqlite3 "$db" "SELECT count(*) FROM security_events WHERE event = 'ACCOUNT_LOCKED'")" -ge 1
check "the right password is refused while locked (429)" test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"email":"user@steward.test","password":"User#Demo2026"}' "http://127.0.0.1:$port/api/auth/login")" = 429
check "steward user unlock clears it" "$BIN" user unlock --email user@steward.test --db "$db"
check "… recorded as ACCOUNT_UNLOCKED" test "$(sqlite3 "$db" "SELECT count(*) FROM security_events WHERE event = 'ACCOUNT_UNLOCKED' AND client = 'cli'")" = 1
check "… and the right password works again (200)" test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"email":"user@steward.test","password":"User#Demo2026"}' "http://127.0.0.1:$port/api/auth/login")" = 200
check "a password typed into the email field never reaches the audit trail" sh -c \
  "curl -s -o /dev/null -H 'Content-Type: application/json' -d '{\"email\":\"Hunter2#Secret!\",\"password\":\"x\"}' http://127.0.0.1:$port/api/auth/login; \
   ! sqlite3 '$db' \"SELECT details FROM security_events\" | grep -q 'Hunter2' && ! grep -rq 'Hunter2' '$work/logs' '$work/serve-$port.log'"

# --- 2,000 slowloris sockets ------------------------------------------------------------
python3 - "$port" >"$work/slowloris" <<'PY'
import socket, sys, time, subprocess, json
port = int(sys.argv[1])
sockets = []
for i in range(2000):
    s = socket.socket()
    s.setblocking(True)
    s.settimeout(2)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /api/posts HTTP/1.1\r\nHost: x\r\n")
        sockets.append(s)
    except OSError:
        s.close()
def probe():
    started = time.monotonic()
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                          f"http://127.0.0.1:{port}/api/posts?limit=5"], capture_output=True, text=True)
    elapsed = time.monotonic() - started
    return elapsed if out.stdout == "200" else 99
# A client arriving in the connect storm waits behind the server's accepting of the 2,000
# sockets (about 0.3 ms each in a debug build); once they are held, it must not wait at all.
storm = probe()
time.sleep(1)
worst = 0.0
for attempt in range(5):
    for s in sockets[:400]:
        try: s.sendall(b"X-Slow: 1\r\n")
        except OSError: pass
    worst = max(worst, probe())
    time.sleep(0.5)
print(json.dumps({"held": len(sockets), "storm_seconds": round(storm, 3), "worst_seconds": round(worst, 3)}))
for s in sockets: s.close()
PY
echo "     slowloris: $(cat "$work/slowloris")"
check "a client arriving while 2,000 slowloris sockets connect is answered within 3 s" python3 -c \
  "import json,sys; r = json.load(open(sys.argv[1])); sys.exit(0 if r['held'] >= 1500 and r['storm_seconds'] < 3.0 else 1)" "$work/slowloris"
check "2,000 slowloris sockets held do not stop a normal client (answers within 1 s)" python3 -c \
  "import json,sys; r = json.load(open(sys.argv[1])); sys.exit(0 if r['held'] >= 1500 and r['worst_seconds'] < 1.0 else 1)" "$work/slowloris"
sleep 1
check "the server still answers after the attack" curl -sf "http://127.0.0.1:$port/healthz"

# --- Two clients behind a trusted proxy -------------------------------------------------
proxied=$(free_port)
serve "$db" "$proxied" STEWARD_TRUSTED_PROXIES=127.0.0.1/32 STEWARD_RATE_LIMIT=5/1m
code_for() { curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $1" "http://127.0.0.1:$proxied/api/posts?limit=1"; }
for _ in 1 2 3 4 5; do code_for 203.0.113.7 >/dev/null; done
check "client A, over its rate limit, gets 429" test "$(code_for 203.0.113.7)" = 429
check "client B behind the same proxy is not throttled" test "$(code_for 198.51.100.9)" = 200
check "a forged address left of the real client is ignored" test "$(code_for '198.51.100.9, 203.0.113.7')" = 429
curl -s -o /dev/null -H 'Content-Type: application/json' -H 'X-Forwarded-For: 198.51.100.23' \
  -d '{"email":"nobody@steward.test","password":"Wrong#Pass1"}' "http://127.0.0.1:$proxied/api/auth/login"
check "the audit trail records the real client" test "$(sqlite3 "$db" "SELECT count(*) FROM security_events WHERE event = 'FAILED_LOGIN' AND client = '198.51.100.23'")" = 1

echo "abuse.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
