#!/usr/bin/env bash
# HTTP throughput and latency: `steward serve` against the Express peer, on the same
# generated volumes (1,000 users, 100,000 posts), with wrk. Prints one Markdown section on
# stdout; progress goes to stderr.
#
#   STEWARD_RELEASE_BIN=.build/release/steward bash bench/http.bench.sh
#
# Each server gets its own fresh database, a raised rate limit (the per-IP limit would
# otherwise answer 429 to nearly everything a load generator sends), and the same JWT
# secret. Three loads, each 10 s, 64 connections, 2 threads:
#   - GET /api/posts?limit=20        with the admin's bearer token
#   - GET /api/posts/{id}            random ids over the whole table, admin's token
#   - POST /api/posts                JSON body with a unique title, rotating the bearer
#                                    tokens of every seeded user
# The daily limit (10 posts per author per 24 h) applies to both servers alike: with
# 1,000 authors the run can create at most ~10,000 posts, after which answers are 429.
# The POST row therefore reports how many posts were created (201) beside the throughput
# of all answers; a 429 still runs authentication, validation and the daily-count query.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8

BIN=${STEWARD_RELEASE_BIN:-.build/release/steward}
PEER=${STEWARD_PEER_DIR:-../shared/peers/express}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
USERS=1000
POSTS=100000
PASSWORD='Passw0rd!x'

for tool in wrk curl jq; do command -v "$tool" >/dev/null || { echo "http.bench.sh: $tool is required (make deps)" >&2; exit 1; }; done
[[ -x "$BIN" ]] || { echo "http.bench.sh: no release binary at $BIN (make release)" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

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
echo "seeding the peer: $USERS users, $POSTS posts" >&2
"$PEER/install.sh" >/dev/null 2>&1 || "$PEER/install.sh" >&2
"$PEER/seed.sh" "$work/peer.sqlite" $USERS $POSTS 0 >&2

steward_port=$(free_port)
STEWARD_LOG_DIR="$work/steward-logs" "$BIN" serve --db "$work/steward.sqlite" --port "$steward_port" >"$work/steward.log" 2>&1 &
pids+=($!)
peer_port=$(free_port)
"$PEER/run.sh" "$peer_port" "$work/peer.sqlite" >"$work/peer.log" 2>&1 &
pids+=($!)

wait_up() {
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "http.bench.sh: the server on port $1 did not start" >&2; return 1
}
wait_up "$steward_port"
wait_up "$peer_port"

login() { # login PORT EMAIL: prints the access token
  curl -fsS -X POST "http://127.0.0.1:$1/api/auth/login" -H 'Content-Type: application/json' \
    --data "{\"email\":\"$2\",\"password\":\"$PASSWORD\"}" | jq -r .accessToken
}
export -f login
export PASSWORD

tokens() { # tokens PORT FILE: every seeded account's token, one a line
  { echo admin@example.com; echo mod@example.com; seq 3 $USERS | sed 's/.*/user&@example.com/'; } \
    | xargs -P 4 -I{} bash -c "login $1 {}" > "$2" || true
  local signed
  signed=$(grep -c . "$2" || true)
  [[ $signed -eq $USERS ]] || { echo "http.bench.sh: signed in $signed of $USERS users on port $1" >&2; exit 1; }
}
echo "signing in $USERS users on each server" >&2
tokens "$steward_port" "$work/steward.tokens"
tokens "$peer_port" "$work/peer.tokens"
steward_admin=$(login "$steward_port" admin@example.com)
peer_admin=$(login "$peer_port" admin@example.com)

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
local counter = 0
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

# run NAME PORT ARGS...: runs wrk, keeps its output in $work/NAME.wrk
run() {
  local name=$1 port=$2; shift 2
  echo "wrk: $name" >&2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "http://127.0.0.1:$port$PATH_UNDER_TEST" > "$work/$name.wrk"
}

PATH_UNDER_TEST="/api/posts?limit=20"
run steward-list "$steward_port" -H "Authorization: Bearer $steward_admin"
run peer-list "$peer_port" -H "Authorization: Bearer $peer_admin"
PATH_UNDER_TEST=""
BENCH_POSTS=$POSTS run steward-get "$steward_port" -H "Authorization: Bearer $steward_admin" -s "$work/get.lua"
BENCH_POSTS=$POSTS run peer-get "$peer_port" -H "Authorization: Bearer $peer_admin" -s "$work/get.lua"
BENCH_TOKENS="$work/steward.tokens" run steward-post "$steward_port" -s "$work/post.lua"
BENCH_TOKENS="$work/peer.tokens" run peer-post "$peer_port" -s "$work/post.lua"

# Figures from wrk's text: requests per second, and the 50% / 99% latencies in ms.
rps() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/$1.wrk"; }
percentile() { # percentile NAME 50%|99%
  awk -v p="$2" '$1 == p {
    v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v);
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000;
    printf "%.2f", v }' "$work/$1.wrk"
}
errors() { awk '/Non-2xx or 3xx responses:/ {print $NF} /Socket errors:/ {print "socket:" $0}' "$work/$1.wrk" | tr '\n' ' '; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "—" }'; }
counts() { grep -E '^created ' "$work/$1.wrk" || echo "created ? limited ? other ?"; }

row() { # row LABEL NAME
  local s="steward-$2" p="peer-$2"
  echo "| $1 | $(rps "$s") | $(percentile "$s" 50%) | $(percentile "$s" 99%) | $(rps "$p") | $(percentile "$p" 50%) | $(percentile "$p" 99%) | $(ratio "$(rps "$s")" "$(rps "$p")") |"
}

echo "## HTTP: Steward vs the Express peer"
echo
echo "wrk, $CONNECTIONS connections, $THREADS threads, $DURATION per load, both servers on this machine in the same run, each on a fresh database of $USERS users and $POSTS posts (\`steward seed --users $USERS --posts $POSTS --comments 0 --seed 1\` / the peer's \`seed.sh\`), rate limit raised to 100000000/1m, request logs at info level. Latencies in ms."
echo
echo "| load | Steward req/s | p50 | p99 | peer req/s | p50 | p99 | throughput ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
row 'GET /api/posts?limit=20 (bearer)' list
row 'GET /api/posts/{id} (bearer, random ids)' get
row 'POST /api/posts (rotating 1,000 bearer tokens)' post
echo
echo "Targets: reads at least 5× the peer's throughput, p99 under 5 ms."
echo
echo "POST answers: Steward $(counts steward-post); peer $(counts peer-post). The daily limit of 10 posts per author caps what any run can create at about $((USERS * 10)); once an author's ten are used, its requests get 429 (still authenticated, validated and counted against the limit, but not written), so the POST row mixes writes with those refusals. Non-2xx answers in the read loads: Steward $(errors steward-list)$(errors steward-get)/ peer $(errors peer-list)$(errors peer-get)(empty means none)."
