#!/usr/bin/env bash
# HTTP throughput and latency, side by side in one run on the same data: `steward serve`,
# a second `steward serve` with request logging off, a bare Hummingbird route answering a
# fixed body the size of a 20-post page (`steward-bench ceiling`: the framework's own
# ceiling here), and an Express app built the textbook way when STEWARD_PEER_DIR names one
# (a folder with install.sh, seed.sh DB USERS POSTS COMMENTS, and run.sh PORT DB).
# Prints one Markdown section on stdout; progress goes to stderr.
#
#   STEWARD_PEER_DIR=/path/to/express bash bench/http.bench.sh
#
# Each server gets its own fresh database of 1,000 users and 100,000 posts, a raised rate
# limit (the per-IP limit would otherwise answer 429 to nearly everything a load generator
# sends), and the same JWT secret. Loads, 2 wrk threads; the reads in BENCH_ROUNDS (3)
# interleaved rounds of BENCH_ROUND_DURATION (4 s) per contender, the writes one
# BENCH_DURATION (10 s) run per server:
#   - GET /api/posts?limit=20   the admin's bearer token                  64 and 16 connections
#   - GET /api/posts/{id}       random ids over the whole table           64 and 16 connections
#   - GET /healthz                                                         64 connections
#   - POST /api/posts           rotating the bearer tokens of every user   64 connections
#   - POST /api/auth/refresh    each answer's rotated token used next      64 connections
# The daily limit (10 posts per author per 24 h) applies to every server alike: with
# 1,000 authors a run creates at most ~10,000 posts, after which answers are 429 (still
# authenticated, validated and counted). The POST row says how many were created.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8

BIN=${STEWARD_RELEASE_BIN:-.build/release/steward}
BENCH=${STEWARD_BENCH_BIN:-.build/release/steward-bench}
PEER=${STEWARD_PEER_DIR:-}
DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
USERS=1000
POSTS=100000
PASSWORD='Passw0rd!x'

for tool in wrk curl jq python3; do command -v "$tool" >/dev/null || { echo "http.bench.sh: $tool is required (make deps)" >&2; exit 1; }; done
[[ -x "$BIN" && -x "$BENCH" ]] || { echo "http.bench.sh: no release binaries at $BIN and $BENCH (make release)" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
BENCH=$(cd "$(dirname "$BENCH")" && pwd)/$(basename "$BENCH")
[[ -z "$PEER" || -x "$PEER/run.sh" ]] || { echo "http.bench.sh: STEWARD_PEER_DIR=$PEER has no run.sh" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

export STEWARD_JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
export STEWARD_RATE_LIMIT=100000000/1m
# Cheap argon2 only so that signing in 1,000 users before the run is quick; no measured
# route hashes a password.
export STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_ARGON2_PARALLELISM=1

echo "seeding Steward: $USERS users, $POSTS posts" >&2
STEWARD_LOG_DIR="$work/steward-logs" "$BIN" seed --db "$work/steward.sqlite" --users $USERS --posts $POSTS --comments 0 --seed 1 >&2
cp "$work/steward.sqlite" "$work/quiet.sqlite"
if [[ -n "$PEER" ]]; then
  echo "seeding the peer: $USERS users, $POSTS posts" >&2
  "$PEER/install.sh" >/dev/null 2>&1 || "$PEER/install.sh" >&2
  "$PEER/seed.sh" "$work/peer.sqlite" $USERS $POSTS 0 >&2
fi

wait_up() {
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "http.bench.sh: the server on port $1 did not start" >&2; return 1
}

steward_port=$(free_port)
STEWARD_LOG_DIR="$work/steward-logs" "$BIN" serve --db "$work/steward.sqlite" --port "$steward_port" >"$work/steward.log" 2>&1 &
pids+=($!)
steward_pid=$!
quiet_port=$(free_port)
STEWARD_LOG_LEVEL=error STEWARD_LOG_DIR="$work/quiet-logs" "$BIN" serve --db "$work/quiet.sqlite" --port "$quiet_port" >"$work/quiet.log" 2>&1 &
pids+=($!)
quiet_pid=$!
wait_up "$steward_port"
wait_up "$quiet_port"
if [[ -n "$PEER" ]]; then
  peer_port=$(free_port)
  "$PEER/run.sh" "$peer_port" "$work/peer.sqlite" >"$work/peer.log" 2>&1 &
  pids+=($!)
  wait_up "$peer_port"
fi

login() { # login PORT EMAIL: prints "ACCESS REFRESH"
  curl -fsS -X POST "http://127.0.0.1:$1/api/auth/login" -H 'Content-Type: application/json' \
    --data "{\"email\":\"$2\",\"password\":\"$PASSWORD\"}" | jq -r '.accessToken + " " + .refreshToken'
}
export -f login
export PASSWORD

tokens() { # tokens PORT NAME: every seeded account's tokens in NAME.access and NAME.refresh
  { echo admin@example.com; echo mod@example.com; seq 3 $USERS | sed 's/.*/user&@example.com/'; } \
    | xargs -P 4 -I{} bash -c "login $1 {}" > "$work/$2.pairs" || true
  local signed
  signed=$(grep -c . "$work/$2.pairs" || true)
  [[ $signed -eq $USERS ]] || { echo "http.bench.sh: signed in $signed of $USERS users on port $1" >&2; exit 1; }
  cut -d' ' -f1 "$work/$2.pairs" > "$work/$2.access"
  cut -d' ' -f2 "$work/$2.pairs" > "$work/$2.refresh"
}
echo "signing in $USERS users on each server" >&2
tokens "$steward_port" steward
tokens "$quiet_port" quiet
[[ -z "$PEER" ]] || tokens "$peer_port" peer
# The admin's own session for the read loads (the token files come back in any order).
steward_admin=$(login "$steward_port" admin@example.com | cut -d' ' -f1)
quiet_admin=$(login "$quiet_port" admin@example.com | cut -d' ' -f1)
[[ -z "$PEER" ]] || peer_admin=$(login "$peer_port" admin@example.com | cut -d' ' -f1)
admin_of() { case $1 in steward) echo "$steward_admin";; quiet) echo "$quiet_admin";; peer) echo "$peer_admin";; esac; }

# The ceiling answers a body as long as Steward's 20-post page.
page_bytes=$(curl -fsS "http://127.0.0.1:$steward_port/api/posts?limit=20" -H "Authorization: Bearer $(admin_of steward)" | wc -c)
ceiling_port=$(free_port)
"$BENCH" ceiling --port "$ceiling_port" --bytes "$page_bytes" >"$work/ceiling.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$ceiling_port/" >/dev/null 2>&1 && break; sleep 0.1; done
# The same with its tasks on the event loops, as `steward serve` runs (EventLoopExecutor).
loops_ceiling_port=$(free_port)
"$BENCH" ceiling --port "$loops_ceiling_port" --bytes "$page_bytes" --event-loop-executor >"$work/ceiling-loops.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$loops_ceiling_port/" >/dev/null 2>&1 && break; sleep 0.1; done

cat > "$work/get.lua" <<'LUA'
-- GET /api/posts/{id} over random ids of the whole table.
local posts = tonumber(os.getenv("BENCH_POSTS"))
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/posts/" .. math.random(1, posts))
end
LUA

cat > "$work/post.lua" <<'LUA'
-- POST /api/posts with a unique title, rotating the bearer tokens of every seeded user.
-- Counts the answers by status; done() prints "created N limited N other N".
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  tokens = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do table.insert(tokens, line) end
  created, limited, other = 0, 0, 0
  math.randomseed(os.time() + id)
  counter = math.random(1, #tokens)
end
request = function()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local body = string.format('{"title":"Bench post %d-%d-%d","content":"<p>Measured by wrk: a body long enough to pass.</p>","tags":["bench"]}', id, counter, math.random(1, 1000000000))
  return wrk.format("POST", "/api/posts", {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
response = function(status, headers, body)
  if status == 201 then created = created + 1 elseif status == 429 then limited = limited + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local c, l, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created"); l = l + thread:get("limited"); o = o + thread:get("other")
  end
  io.write(string.format("created %d limited %d other %d\n", c, l, o))
end
LUA

cat > "$work/refresh.lua" <<'LUA'
-- POST /api/auth/refresh. Each thread takes every Nth refresh token of the seeded users
-- (one session each); every answer carries the rotated token, which goes to the back of
-- the queue, so no token is ever sent twice (that would be reuse, and kill its session).
-- done() prints "rotated N other N".
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  local count = tonumber(os.getenv("BENCH_THREADS"))
  queue = {}
  local n = 0
  for line in io.lines(os.getenv("BENCH_REFRESH")) do
    if n % count == id - 1 then table.insert(queue, line) end
    n = n + 1
  end
  rotated, other = 0, 0
end
request = function()
  local token = table.remove(queue, 1) or "none-left"
  return wrk.format("POST", "/api/auth/refresh", {["Content-Type"] = "application/json"}, '{"refreshToken":"' .. token .. '"}')
end
response = function(status, headers, body)
  local token = status == 200 and body:match('"refreshToken"%s*:%s*"([^"]+)"')
  if token then table.insert(queue, token); rotated = rotated + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local r, o = 0, 0
  for _, thread in ipairs(threads) do r = r + thread:get("rotated"); o = o + thread:get("other") end
  io.write(string.format("rotated %d other %d\n", r, o))
end
LUA

# run NAME PORT CONNECTIONS PATH ARGS...: runs wrk, keeps its output in $work/NAME.wrk
run() {
  local name=$1 port=$2 connections=$3 path=$4; shift 4
  echo "wrk: $name ($connections connections)" >&2
  BENCH_THREADS=$THREADS wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency "$@" "http://127.0.0.1:$port$path" > "$work/$name.wrk"
}

servers=(steward quiet)
[[ -z "$PEER" ]] || servers+=(peer)
port_of() { case $1 in steward) echo "$steward_port";; quiet) echo "$quiet_port";; peer) echo "$peer_port";; ceiling) echo "$ceiling_port";; loops) echo "$loops_ceiling_port";; esac; }

# The read loads, in rounds: each round runs every contender once on the load (Steward,
# the peer, the ceiling, the ceiling on the event loops), the order turned by one each
# round. This machine's speed drifts by a quarter or more from one minute to the next, so
# one 10 s run of each, minutes apart, compared the minutes as much as the servers; a
# ratio taken within a round compares runs seconds apart, and the median of the rounds
# is the figure.
ROUNDS=${BENCH_ROUNDS:-3}
ROUND_DURATION=${BENCH_ROUND_DURATION:-4s}
contenders=(steward ceiling loops)
[[ -z "$PEER" ]] || contenders+=(peer)
read_load() { # read_load NAME LOAD CONNECTIONS CONTENDER
  local port; port=$(port_of "$4")
  case $4:$2 in
    ceiling:*|loops:*) DURATION=$ROUND_DURATION run "$1" "$port" "$3" "/" ;;
    *:list) DURATION=$ROUND_DURATION run "$1" "$port" "$3" "/api/posts?limit=20" -H "Authorization: Bearer $(admin_of "$4")" ;;
    *:get) DURATION=$ROUND_DURATION BENCH_POSTS=$POSTS run "$1" "$port" "$3" "" -H "Authorization: Bearer $(admin_of "$4")" -s "$work/get.lua" ;;
    *:healthz) DURATION=$ROUND_DURATION run "$1" "$port" "$3" "/healthz" ;;
  esac
}
read_loads=("list 64" "list 16" "get 64" "get 16" "healthz 64")
for spec in "${read_loads[@]}"; do
  read -r load connections <<<"$spec"
  for ((round = 1; round <= ROUNDS; round++)); do
    count=${#contenders[@]}
    for ((i = 0; i < count; i++)); do
      contender=${contenders[$(( (i + round - 1) % count ))]}
      read_load "$contender-$load-$connections-r$round" "$load" "$connections" "$contender"
    done
  done
done
for server in steward peer; do
  [[ $server == peer && -z "$PEER" ]] && continue
  port=$(port_of "$server")
  BENCH_TOKENS="$work/$server.access" run "$server-post-64" "$port" 64 "" -s "$work/post.lua"
  BENCH_REFRESH="$work/$server.refresh" run "$server-refresh-64" "$port" 64 "" -s "$work/refresh.lua"
done

# Logging on against off, in pairs run back to back (5 s each, five pairs per load, the
# order swapped every other pair so that a machine speeding up or slowing down does not
# favour one side): consecutive runs of one load differ by up to a quarter on this
# machine, so a single on/off comparison says more about the machine than about logging.
# The median of the pairs' costs is the figure. Each run also records the server's CPU
# time (user + system, all its threads) per request, which the neighbours disturb far
# less than the wall clock: with the server CPU-bound, (on - off) / on of it is the share
# of throughput that logging costs.
PAIRS=${BENCH_PAIRS:-5}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pid_of() { case $1 in steward) echo "$steward_pid";; quiet) echo "$quiet_pid";; esac; }
for load in list get healthz; do
  for ((pair = 1; pair <= PAIRS; pair++)); do
    order="steward quiet"; (( pair % 2 == 0 )) && order="quiet steward"
    for server in $order; do
      port=$(port_of "$server")
      ticks=$(cpu_ticks "$(pid_of "$server")")
      case $load in
        list) DURATION=5s run "pair-$load-$pair-$server" "$port" 64 "/api/posts?limit=20" -H "Authorization: Bearer $(admin_of "$server")" ;;
        get) DURATION=5s BENCH_POSTS=$POSTS run "pair-$load-$pair-$server" "$port" 64 "" -H "Authorization: Bearer $(admin_of "$server")" -s "$work/get.lua" ;;
        healthz) DURATION=5s run "pair-$load-$pair-$server" "$port" 64 "/healthz" ;;
      esac
      echo $(( $(cpu_ticks "$(pid_of "$server")") - ticks )) > "$work/pair-$load-$pair-$server.ticks"
    done
  done
done

# Safety under load: the list load at 1, 64, 1,000 and 5,000 connections while a probe
# opens a fresh connection to /healthz every 100 ms; then /healthz once more, after.
ulimit -n 65536 2>/dev/null || true
cat > "$work/probe.py" <<'PY'
import json, sys, time, urllib.request
url, seconds = sys.argv[1], float(sys.argv[2])
worst, settled, failures, count = 0.0, 0.0, 0, 0
begin = time.monotonic()
end = begin + seconds
while time.monotonic() < end:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            ok = answer.status == 200
    except Exception:
        ok = False
    elapsed = time.monotonic() - started
    count += 1
    if not ok: failures += 1
    worst = max(worst, elapsed)
    # After the first second the load's connections are open: what a monitor sees then.
    if started - begin >= 1: settled = max(settled, elapsed)
    time.sleep(0.1)
print(json.dumps({"probes": count, "failures": failures, "worst_ms": round(worst * 1000, 1), "settled_ms": round(settled * 1000, 1)}))
PY
for connections in 1 64 1000 5000; do
  echo "wrk: safety at $connections connections" >&2
  python3 "$work/probe.py" "http://127.0.0.1:$steward_port/healthz" 5 > "$work/probe-$connections.json" &
  probe=$!
  wrk -t"$(( connections < THREADS ? connections : THREADS ))" -c"$connections" -d5s --latency -H "Authorization: Bearer $(admin_of steward)" \
    "http://127.0.0.1:$steward_port/api/posts?limit=20" > "$work/safety-$connections.wrk" 2>&1 || true
  wait "$probe" || true
  sleep 1
  curl -fsS -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$steward_port/healthz" > "$work/after-$connections" 2>/dev/null || echo failed > "$work/after-$connections"
done

# Figures from wrk's text: requests per second, and the 50% / 99% latencies in ms.
have() { [[ -s "$work/$1.wrk" ]]; }
rps() { have "$1" && awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/$1.wrk" || echo "–"; }
percentile() { # percentile NAME 50%|99%
  have "$1" || { echo "–"; return; }
  awk -v p="$2" '$1 == p {
    v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v);
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000;
    printf "%.2f", v }' "$work/$1.wrk"
}
errors() { have "$1" && awk '/Non-2xx or 3xx responses:/ {printf "%s non-2xx ", $NF} /Socket errors:/ {printf "socket errors (%s) ", $0}' "$work/$1.wrk"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "–" }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.0f%%", 100 * a / b; else print "–" }'; }

row() { # row LABEL LOAD CONNECTIONS: a write load, one run of each server
  local s="steward-$2-$3" p="peer-$2-$3"
  echo "| $1 | $3 | $(rps "$s") | $(percentile "$s" 50%) | $(percentile "$s" 99%) | $(rps "$p") | $(percentile "$p" 99%) | $(ratio "$(rps "$s")" "$(rps "$p")")× |"
}

# read_row LABEL LOAD CONNECTIONS: the median round of each contender (its req/s and
# latencies), and the ratios taken within each round, with their median.
read_row() {
  local line="" contender round name
  for contender in steward peer ceiling loops; do
    for ((round = 1; round <= ROUNDS; round++)); do
      name="$contender-$2-$3-r$round"
      line+="$contender $round $(rps "$name") $(percentile "$name" 50%) $(percentile "$name" 99%)\n"
    done
  done
  printf "%b" "$line" | LABEL="$1" CONNECTIONS="$3" python3 -c "
import os, sys
runs = {}
for fields in (line.split() for line in sys.stdin if line.strip()):
    contender, round_, rps, p50, p99 = fields
    if rps != '–':
        runs.setdefault(contender, {})[int(round_)] = (float(rps), p50, p99)
def median_run(contender):
    kept = sorted(runs.get(contender, {}).values())
    return kept[len(kept) // 2] if kept else None
def ratios(a, b, scale):
    both = sorted(set(runs.get(a, {})) & set(runs.get(b, {})))
    return [runs[a][r][0] / runs[b][r][0] * scale for r in both]
def median(values):
    return sorted(values)[len(values) // 2] if values else None
s, p, c = median_run('steward'), median_run('peer'), median_run('ceiling')
cell = lambda run, i: (f'{run[0]:.0f}' if i == 0 else run[i]) if run else '–'
peer_ratios, ceiling_ratios, loops_ratios = ratios('steward', 'peer', 1), ratios('steward', 'ceiling', 100), ratios('steward', 'loops', 100)
fmt = lambda values, unit: (', '.join(f'{v:.2f}×' if unit == '×' else f'{v:.0f}%' for v in values)) or '–'
m = median(peer_ratios); mc = median(ceiling_ratios); ml = median(loops_ratios)
print(f\"| {os.environ['LABEL']} | {os.environ['CONNECTIONS']} | {cell(s, 0)} | {cell(s, 1)} | {cell(s, 2)} | {cell(p, 0)} | {cell(p, 2)} | {cell(c, 0)} | \"
      f\"{f'{m:.2f}×' if m else '–'} ({fmt(peer_ratios, '×')}) | {f'{mc:.0f}%' if mc else '–'} ({fmt(ceiling_ratios, '%')}) | {f'{ml:.0f}%' if ml else '–'} |\")
"
}

echo "## HTTP: Steward, the Express peer, and the framework's ceiling"
echo
echo "wrk, $THREADS threads, every server on this machine in the same run, each on a fresh database of $USERS users and $POSTS posts (\`steward seed --users $USERS --posts $POSTS --comments 0 --seed 1\`$([[ -n "$PEER" ]] && echo " / the peer's \`seed.sh\`")), rate limit raised to 100000000/1m, request logs at info level. The ceiling is \`steward-bench ceiling\`: a bare Hummingbird route answering a fixed body of $page_bytes bytes (Steward's 20-post page). Latencies in ms."
echo
echo "The read loads ran in $ROUNDS rounds of $ROUND_DURATION per contender (Steward, the peer, the ceiling, the ceiling on the event loops), each round in a turned order; req/s and latencies are each contender's median round, the ratios are taken within each round (runs seconds apart) and the median of the rounds is given first, every round after it. \"% of loops ceiling\" compares with \`steward-bench ceiling --event-loop-executor\`, the ceiling with its tasks on the event loops as \`steward serve\` runs them."
echo
echo "| load | conns | Steward req/s | p50 | p99 | peer req/s | peer p99 | ceiling req/s | × peer (each round) | % of ceiling (each round) | % of loops ceiling |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"
read_row 'GET /api/posts?limit=20 (bearer)' list 64
read_row 'GET /api/posts?limit=20 (bearer)' list 16
read_row 'GET /api/posts/{id} (bearer, random ids)' get 64
read_row 'GET /api/posts/{id} (bearer, random ids)' get 16
read_row 'GET /healthz' healthz 64
echo
echo "The write loads, one $DURATION run of each server (their state moves on: the daily post limit fills, refresh tokens rotate):"
echo
echo "| load | conns | Steward req/s | p50 | p99 | peer req/s | peer p99 | × peer |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
row 'POST /api/posts (1,000 rotating bearer tokens)' post 64
row 'POST /api/auth/refresh (rotating)' refresh 64
echo
echo "Request logging (info, one JSON line per request to \`STEWARD_LOG_DIR\` and to stdout) against a second instance with \`STEWARD_LOG_LEVEL=error\` on a copy of the same database, 64 connections, in $PAIRS pairs of 5 s runs back to back (the order swapped every other pair). Cost by throughput: (off − on) / off of req/s; cost by CPU: (on − off) / on of the server's CPU time per request, which neighbours on the machine disturb less. Each is the median pair's:"
echo
echo "| load | logging on req/s | logging off req/s | cost by throughput (median) | each pair | CPU µs/request on / off | cost by CPU (median) | each pair |"
echo "|---|---:|---:|---:|---|---:|---:|---|"
clock_ticks=$(getconf CLK_TCK)
requests_of() { have "$1" && awk '/requests in/ {print $1}' "$work/$1.wrk" || echo 0; }
for load in list get healthz; do
  pairs=""
  for ((pair = 1; pair <= PAIRS; pair++)); do
    on="pair-$load-$pair-steward" off="pair-$load-$pair-quiet"
    pairs+="$(rps "$on") $(rps "$off") $(cat "$work/$on.ticks" 2>/dev/null || echo 0) $(requests_of "$on") $(cat "$work/$off.ticks" 2>/dev/null || echo 0) $(requests_of "$off")\n"
  done
  printf "%b" "$pairs" | CLOCK_TICKS=$clock_ticks python3 -c "
import os, sys
tick = 1e6 / float(os.environ['CLOCK_TICKS'])
rows = [line.split() for line in sys.stdin if line.strip() and '–' not in line]
if not rows:
    print('| $load | – | – | – | – | – | – | – |'); sys.exit()
rows = [[float(x) for x in row] for row in rows]
costs = sorted(((off - on) / off * 100, on, off) for on, off, *_ in rows)
cost, on, off = costs[len(costs) // 2]
cpu = sorted(((a - b) / a * 100, a, b) for a, b in ((t1 * tick / n1, t2 * tick / n2) for _, _, t1, n1, t2, n2 in rows if n1 and n2 and t1))
line = f'| $load | {on:.0f} | {off:.0f} | {cost:.1f}% | ' + ', '.join(f'{c:.1f}%' for c, _, _ in costs) + ' | '
if cpu:
    c, a, b = cpu[len(cpu) // 2]
    line += f'{a:.0f} / {b:.0f} | {c:.1f}% | ' + ', '.join(f'{x:.1f}%' for x, _, _ in cpu) + ' |'
else:
    line += '– | – | – |'
print(line)
"
done
echo
echo "Answers of the write loads: Steward POST $(grep -h '^created ' "$work/steward-post-64.wrk" || echo '?'), refresh $(grep -h '^rotated ' "$work/steward-refresh-64.wrk" || echo '?')$([[ -n "$PEER" ]] && echo "; peer POST $(grep -h '^created ' "$work/peer-post-64.wrk" || echo '?'), refresh $(grep -h '^rotated ' "$work/peer-refresh-64.wrk" || echo '?')"). Errors in the read loads: Steward $(for f in "$work"/steward-*-r*.wrk; do errors "$(basename "$f" .wrk)"; done)$([[ -n "$PEER" ]] && echo "/ peer $(for f in "$work"/peer-*-r*.wrk; do errors "$(basename "$f" .wrk)"; done)")(none when empty)."
echo
echo "Under load: \`GET /api/posts?limit=20\` for 5 s at each connection count, while a probe opens a fresh connection to \`/healthz\` every 100 ms (worst answer time overall and once the load's connections are open, failures); then \`/healthz\` once more a second after the load."
echo
echo "| connections | req/s | p50 | p99 | socket errors | /healthz probes | worst probe (ms) | worst after the first second (ms) | failed probes | /healthz after |"
echo "|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"
for connections in 1 64 1000 5000; do
  probe=$(cat "$work/probe-$connections.json" 2>/dev/null || echo '{}')
  field() { python3 -c "import json,sys; print(json.loads(sys.argv[1]).get(sys.argv[2], '–'))" "$probe" "$1"; }
  sockets=$(awk -F'Socket errors: ' '/Socket errors/ {print $2}' "$work/safety-$connections.wrk")
  echo "| $connections | $(rps "safety-$connections") | $(percentile "safety-$connections" 50%) | $(percentile "safety-$connections" 99%) | ${sockets:-none} | $(field probes) | $(field worst_ms) | $(field settled_ms) | $(field failures) | $(cat "$work/after-$connections") |"
done
