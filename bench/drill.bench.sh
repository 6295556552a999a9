#!/usr/bin/env bash
# Console drill-down on 1,000,000 posts and 3,000,000 comments: key to the frame with the
# data, for each step of a walk (comment → post → author → their places → back) and the
# Audit tab's first page. Prints a Markdown section.
#
# The database is cached between runs (bench/cached-database.sh): seeding takes about two
# minutes, and the walk only signs in and reads.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
. bench/cached-database.sh
db=$(cached_database drill-1m-posts-3m-comments comments 3000000 --users 10000 --posts 1000000 --comments 3000000)
"$BENCH" drill "$db"
