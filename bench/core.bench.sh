#!/usr/bin/env bash
# Seeding volume, keyset paging at depth, and login cost. Prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${STEWARD_RELEASE_BIN:-.build/release/steward}
BENCH=${STEWARD_BENCH_BIN:-.build/release/steward-bench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/volume.sqlite"

echo "seeding 10,000 users, 1,000,000 posts, 3,000,000 comments" >&2
start=$(date +%s.%N)
"$BIN" seed --db "$db" --users 10000 --posts 1000000 --comments 3000000 --seed 1 >/dev/null 2>&1
end=$(date +%s.%N)
seconds=$(echo "$end - $start" | bc)
size=$(du -m "$db" | cut -f1)

echo "## Core: seeding"
echo
echo "\`steward seed --users 10000 --posts 1000000 --comments 3000000\`: **$(printf '%.1f' "$seconds") s** (target: under 120 s); database $size MiB, with both full-text indexes."
echo
"$BENCH" core "$db"
