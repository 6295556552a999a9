#!/usr/bin/env bash
# PostgreSQL beside SQLite: the read loads of http.bench.sh on one SQLite instance and on
# one, two and three `steward serve` instances sharing one PostgreSQL database (a
# throwaway server from scripts/pg-throwaway.sh on this machine), on the same 100,000
# posts; wrk's threads spread over the instances (thread i talks to instance i mod N).
# Then `steward migrate --from-sqlite` of 1,000,000 posts and 3,000,000 comments (skipped
# with BENCH_BIG_MOVE=0: it takes minutes).
# Prints one Markdown section on stdout; progress goes to stderr.
#
# The CPU each request costs is read from /proc during the list load (the steward
# processes, and every postgres process), so that the note can say what more cores would
# give: on two cores, three instances and the database share the same two.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
. bench/cached-database.sh

DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=64
USERS=1000
POSTS=100000
PASSWORD='Passw0rd!x'
for tool in wrk curl jq python3 psql; do command -v "$tool" >/dev/null || { echo "postgres.bench.sh: $tool is required (make deps)" >&2; exit 1; }; done
[[ -x "$BIN" ]] || { echo "postgres.bench.sh: no release binary at $BIN (make release)" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

work=$(mktemp -d)
pids=()
STEWARD_TEST_PG_DIR=""
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -z "$STEWARD_TEST_PG_DIR" ]] || scripts/pg-throwaway.sh stop "$STEWARD_TEST_PG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() {
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "postgres.bench.sh: the server on port $1 did not start" >&2; return 1
}

export STEWARD_JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
export STEWARD_RATE_LIMIT=100000000/1m STEWARD_LOG_DIR="$work/logs"
export STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_ARGON2_PARALLELISM=1

eval "$(scripts/pg-throwaway.sh start)"
psql "$STEWARD_TEST_PG_ADMIN_URL" -qc "CREATE DATABASE big OWNER steward" >/dev/null
small=$(cached_database http-1k-users-100k-posts posts $POSTS --users $USERS --posts $POSTS --comments 0)
cp "$small" "$work/sqlite.sqlite"

echo "moving $POSTS posts into PostgreSQL" >&2
started=$(date +%s.%N)
STEWARD_DB="$STEWARD_TEST_PG_URL" "$BIN" migrate --from-sqlite "$small" >"$work/move-small.out"
small_move=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")

# instances N: starts N serve processes on PostgreSQL; their ports in $ports.
instance_pids=()
ports=()
start_instances() {
  local n=$1 i port
  for ((i = 0; i < n; i++)); do
    port=$(free_port)
    STEWARD_DB="$STEWARD_TEST_PG_URL" STEWARD_DB_POOL=20 "$BIN" serve --port "$port" >"$work/pg-$n-$i.log" 2>&1 &
    instance_pids+=($!); pids+=($!); ports+=("$port")
  done
  for port in "${ports[@]}"; do wait_up "$port"; done
}
stop_instances() {
  for pid in "${instance_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  instance_pids=(); ports=()
}

cat > "$work/spread.lua" <<'LUA'
-- Thread i talks to instance i mod N (BENCH_PORTS: space-separated ports); with BENCH_POSTS
-- set, each request reads one random post, else a page of 20.
local ports, index = {}, 0
for port in string.gmatch(os.getenv("BENCH_PORTS"), "%d+") do table.insert(ports, port) end
function setup(thread)
  thread.addr = wrk.lookup("127.0.0.1", ports[(index % #ports) + 1])[1]
  index = index + 1
end
local posts = tonumber(os.getenv("BENCH_POSTS") or "0")
math.randomseed(os.time())
request = function()
  local path = posts > 0 and ("/api/posts/" .. math.random(1, posts)) or "/api/posts?limit=20"
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")})
end
LUA

cpu_ticks() { # the user+system ticks of the given pids and of every postgres process
  local total=0 pid
  for pid in "$@"; do [[ -n "$pid" && -r /proc/$pid/stat ]] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$total"
}
pg_ticks() { local total=0 pid; for pid in $(pgrep -x postgres); do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$total"; }

# load NAME TOKEN PORTS...: both reads; rows into $work/results
load() {
  local name=$1 token=$2; shift 2
  local threads=$(( $# > 2 ? $# : 2 ))
  local before_app before_db after_app after_db
  before_app=$(cpu_ticks "${instance_pids[@]}" "${sqlite_pid:-}"); before_db=$(pg_ticks)
  echo "wrk: $name list" >&2
  BENCH_PORTS="$*" BENCH_TOKEN="$token" wrk -t"$threads" -c$CONNECTIONS -d"$DURATION" --latency -s "$work/spread.lua" "http://127.0.0.1:$1" > "$work/$name-list.wrk"
  after_app=$(cpu_ticks "${instance_pids[@]}" "${sqlite_pid:-}"); after_db=$(pg_ticks)
  echo "wrk: $name get" >&2
  BENCH_PORTS="$*" BENCH_TOKEN="$token" BENCH_POSTS=$POSTS wrk -t"$threads" -c$CONNECTIONS -d"$DURATION" --latency -s "$work/spread.lua" "http://127.0.0.1:$1" > "$work/$name-get.wrk"
  echo "$name $((after_app - before_app)) $((after_db - before_db))" >> "$work/cpu"
}
rate() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
token_for() { curl -fsS -X POST "http://127.0.0.1:$1/api/auth/login" -H 'Content-Type: application/json' \
  --data "{\"email\":\"admin@example.com\",\"password\":\"$PASSWORD\"}" | jq -r .accessToken; }

sqlite_port=$(free_port)
STEWARD_DB="$work/sqlite.sqlite" "$BIN" serve --port "$sqlite_port" >"$work/sqlite.log" 2>&1 &
sqlite_pid=$!; pids+=($sqlite_pid)
wait_up "$sqlite_port"
load sqlite-1 "$(token_for "$sqlite_port")" "$sqlite_port"
kill -TERM "$sqlite_pid"; wait "$sqlite_pid" 2>/dev/null || true; sqlite_pid=""

for n in 1 2 3; do
  start_instances "$n"
  load "postgres-$n" "$(token_for "${ports[0]}")" "${ports[@]}"
  stop_instances
done

big_move="(skipped)" big_rows="?"
if [[ "${BENCH_BIG_MOVE:-1}" == 1 ]]; then
big=$(cached_database drill-1m-posts-3m-comments comments 3000000 --users 10000 --posts 1000000 --comments 3000000)
echo "moving 1,000,000 posts and 3,000,000 comments into PostgreSQL" >&2
started=$(date +%s.%N)
STEWARD_DB="${STEWARD_TEST_PG_URL%/steward}/big" "$BIN" migrate --from-sqlite "$big" >"$work/move-big.out"
big_move=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
big_rows=$(awk '/^moved/ {print $(NF-4)}' "$work/move-big.out")
fi

ticks=$(getconf CLK_TCK)
base_list=$(rate "$work/sqlite-1-list.wrk"); base_get=$(rate "$work/sqlite-1-get.wrk")
echo "## PostgreSQL beside SQLite"
echo
echo "$POSTS posts, $USERS users; wrk, $CONNECTIONS connections, $DURATION per load, the admin's bearer token; request log at info."
echo "PostgreSQL 15 on this machine (a throwaway server, fsync off); each instance \`STEWARD_DB_POOL=20\`."
echo "CPU per list request: milliseconds of CPU the steward processes and all postgres processes used during the list load, divided by its requests."
echo
echo "| setup | list req/s | list p99 | get req/s | get p99 | list vs SQLite | get vs SQLite | CPU ms/list request (steward + postgres) |"
echo "|---|---|---|---|---|---|---|---|"
for name in sqlite-1 postgres-1 postgres-2 postgres-3; do
  list=$(rate "$work/$name-list.wrk"); get=$(rate "$work/$name-get.wrk")
  read -r _ app db < <(grep "^$name " "$work/cpu")
  requests=$(python3 -c "print(max(1, round($list * float('${DURATION%s}'))))")
  cpu=$(python3 -c "print(f'{$app * 1000 / $ticks / $requests:.2f} + {$db * 1000 / $ticks / $requests:.2f}')")
  echo "| $name | $list | $(p99 "$work/$name-list.wrk") | $get | $(p99 "$work/$name-get.wrk") | $(python3 -c "print(f'{$list / $base_list:.2f}×')") | $(python3 -c "print(f'{$get / $base_get:.2f}×')") | $cpu |"
  [[ $name == postgres-3 ]] && three_cpu=$(python3 -c "print(($app + $db) * 1000 / $ticks / $requests)")
done
echo
# What more cores would give: on two cores wrk, every instance and PostgreSQL share the same
# two, so more instances only add switching. With cores of their own, throughput is about
# cores / (CPU per request), the request cost measured with three instances.
echo "On $(nproc) cores, shared with wrk, more instances measure overhead (more threads switching on the same cores), not scaling. A list request costs $(printf '%.2f' "$three_cpu") ms of CPU in all with three instances, so with the cores to themselves three instances and PostgreSQL would serve about $(python3 -c "print(f'{1000 / $three_cpu:,.0f}')") list requests per second per core: $(python3 -c "print(f'{8 * 1000 / $three_cpu:,.0f}')") on 8 cores, $(python3 -c "print(f'{16 * 1000 / $three_cpu:,.0f}')") on 16, until PostgreSQL's share ($(grep '^postgres-3 ' "$work/cpu" | awk -v t="$ticks" -v r="$(python3 -c "print(max(1, round($(rate "$work/postgres-3-list.wrk") * float('${DURATION%s}'))))")" '{printf "%.2f", $3 * 1000 / t / r}') ms a request) needs a bigger database machine."
echo
echo "\`steward migrate --from-sqlite\`: $POSTS posts (and $USERS users) in $small_move s; 1,000,000 posts and 3,000,000 comments ($big_rows rows in all, search columns and indexes included) in $big_move s."
