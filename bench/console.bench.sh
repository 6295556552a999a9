#!/usr/bin/env bash
# The console on a million posts: key-to-frame while scrolling (PgDn, j, PgUp), time to the
# first frame, peak memory. Prints a Markdown section.
#
# The database (1,000 users, 1,000,000 posts) is cached in $STEWARD_BENCH_CACHE (default
# /tmp/steward-bench-cache) between runs: seeding takes a while, reading it does not
# change it (the bench only signs in, which writes one audit row).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
BIN=${STEWARD_RELEASE_BIN:-.build/release/steward}
BENCH=${STEWARD_BENCH_BIN:-.build/release/steward-bench}
cache=${STEWARD_BENCH_CACHE:-/tmp/steward-bench-cache}
mkdir -p "$cache"
db="$cache/console-1m-posts.sqlite"
export STEWARD_LOG_DIR="$cache/logs"

if [ ! -s "$db" ] || [ "$(sqlite3 "$db" 'SELECT count(*) FROM posts' 2>/dev/null)" != 1000000 ]; then
  rm -f "$db" "$db-wal" "$db-shm"
  echo "seeding 1,000 users and 1,000,000 posts into $db" >&2
  "$BIN" seed --db "$db" --users 1000 --posts 1000000 --comments 0 --seed 1 >/dev/null 2>&1
fi
"$BENCH" console "$db"
