#!/usr/bin/env bash
# Logging: lines per second through the file sink and the whole pipeline, then request
# latency of `steward serve` with request logging on (STEWARD_LOG_LEVEL=info: one JSON
# line per request to the file and to stdout) against off (critical: no request line).
# Prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${STEWARD_RELEASE_BIN:-.build/release/steward}
BENCH=${STEWARD_BENCH_BIN:-.build/release/steward-bench}
DURATION=${LOGS_BENCH_SECONDS:-10}
for tool in wrk curl python3; do command -v $tool >/dev/null || { echo "logs.bench.sh: needs $tool" >&2; exit 1; }; done
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
db="$work/bench.sqlite"
export STEWARD_ARGON2_MEMORY_KIB=1024 STEWARD_ARGON2_ITERATIONS=1 STEWARD_RATE_LIMIT=100000000/1m STEWARD_ENV=test

echo "lines per second through the pipeline" >&2
"$BENCH" logs 1000000
echo

"$BIN" seed --db "$db" --users 100 --posts 2000 --comments 0 --seed 1 >/dev/null 2>&1
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

# run LEVEL PATH: serve with STEWARD_LOG_LEVEL=LEVEL, load PATH for $DURATION s, print
# "requests/s p50 p99" (milliseconds) and the number of request lines logged.
run() {
  local level=$1 path=$2 logs="$work/logs-$1"
  rm -rf "$logs"
  STEWARD_LOG_LEVEL=$level STEWARD_LOG_DIR=$logs "$BIN" serve --db "$db" --port "$port" >"$work/stdout-$level" 2>"$work/stderr" &
  server=$!
  local i
  for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  wrk -t1 -c8 -d2s "http://127.0.0.1:$port$path" >/dev/null 2>&1  # warm-up
  wrk -t1 -c8 -d"${DURATION}s" --latency "http://127.0.0.1:$port$path" >"$work/wrk" 2>&1
  kill -INT "$server"; wait "$server" 2>/dev/null || true
  server=""
  local rps p50 p99 lines
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
  lines=$(cat "$logs"/steward.log* 2>/dev/null | grep -c "\"path\":\"${path%%\?*}\"" || true)
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $lines"
}
# wrk prints 812.00us, 1.20ms or 1.02s; this gives milliseconds.
to_ms() {
  case $1 in
    *us) python3 -c "print(f'{float(\"${1%us}\") / 1000:.3f}')" ;;
    *ms) python3 -c "print(f'{float(\"${1%ms}\"):.3f}')" ;;
    *s) python3 -c "print(f'{float(\"${1%s}\") * 1000:.3f}')" ;;
    *) echo "$1" ;;
  esac
}

echo "## Logging: request latency with logging on and off"
echo
echo "\`steward serve\` (release) on a database of 2,000 posts; \`wrk -t1 -c8 -d${DURATION}s --latency\` after a 2 s warm-up, on the same 2-core machine as the server."
echo "On: \`STEWARD_LOG_LEVEL=info\`, one JSON line per request to the log file and to stdout (redirected to a file). Off: \`critical\`, no request line."
echo
echo "| route | logging | requests/s | p50 | p99 | request lines logged | p50 change |"
echo "|---|---|---|---|---|---|---|"
for path in /healthz "/api/posts?limit=20"; do
  echo "load $path" >&2
  read -r off_rps off_p50 off_p99 off_lines < <(run critical "$path")
  read -r on_rps on_p50 on_p99 on_lines < <(run info "$path")
  change=$(python3 -c "print(f'{($on_p50 / $off_p50 - 1) * 100:+.1f}%')")
  echo "| \`GET $path\` | off | $off_rps | $off_p50 ms | $off_p99 ms | $off_lines | |"
  echo "| \`GET $path\` | on | $on_rps | $on_p50 ms | $on_p99 ms | $on_lines | $change |"
done
echo
echo "Target: latency with logging on within 10% of logging off."
