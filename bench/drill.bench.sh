#!/usr/bin/env bash
# Console drill-down on 1,000,000 posts and 3,000,000 comments: key to the frame with the
# data, for each step of a walk (comment → post → author → their places → back) and the
# Audit tab's first page. Prints a Markdown section.
#
# The database is cached in $STEWARD_BENCH_CACHE (default /tmp/steward-bench-cache): seeding
# takes about two minutes, and the walk only signs in and reads.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
BIN=${STEWARD_RELEASE_BIN:-.build/release/steward}
BENCH=${STEWARD_BENCH_BIN:-.build/release/steward-bench}
cache=${STEWARD_BENCH_CACHE:-/tmp/steward-bench-cache}
mkdir -p "$cache"
db="$cache/drill-1m-posts-3m-comments.sqlite"
export STEWARD_LOG_DIR="$cache/logs"

if [ ! -s "$db" ] || [ "$(sqlite3 "$db" 'SELECT count(*) FROM comments' 2>/dev/null)" != 3000000 ]; then
  rm -f "$db" "$db-wal" "$db-shm"
  echo "seeding 10,000 users, 1,000,000 posts and 3,000,000 comments into $db" >&2
  "$BIN" seed --db "$db" --users 10000 --posts 1000000 --comments 3000000 --seed 1 >/dev/null 2>&1
fi
"$BENCH" drill "$db"
