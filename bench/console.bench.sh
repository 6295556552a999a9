#!/usr/bin/env bash
# The console on a million posts: key-to-frame while scrolling (PgDn, j, PgUp), time to the
# first frame, peak memory. Prints a Markdown section.
#
# The database (1,000 users, 1,000,000 posts) is cached between runs (bench/cached-database.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
. bench/cached-database.sh
db=$(cached_database console-1m-posts posts 1000000 --users 1000 --posts 1000000 --comments 0)
"$BENCH" console "$db"
