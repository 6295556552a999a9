# Sourced by the console benches: a generated database kept in $STEWARD_BENCH_CACHE
# (default /tmp/steward-bench-cache) between runs, since seeding takes minutes and the
# benches only sign in and read.
#
#   cached_database NAME TABLE ROWS SEED-ARGUMENTS...
#
# prints the path of NAME.sqlite, seeding it with `steward seed SEED-ARGUMENTS` first when
# it is missing or TABLE does not hold ROWS rows.
BIN=${STEWARD_RELEASE_BIN:-.build/release/steward}
BENCH=${STEWARD_BENCH_BIN:-.build/release/steward-bench}
cache=${STEWARD_BENCH_CACHE:-/tmp/steward-bench-cache}
mkdir -p "$cache"
export STEWARD_LOG_DIR="$cache/logs"

cached_database() {
  local db="$cache/$1.sqlite" table=$2 rows=$3
  shift 3
  if [ ! -s "$db" ] || [ "$(sqlite3 "$db" "SELECT count(*) FROM $table" 2>/dev/null)" != "$rows" ]; then
    rm -f "$db" "$db-wal" "$db-shm"
    echo "seeding $* into $db" >&2
    "$BIN" seed --db "$db" "$@" --seed 1 >/dev/null 2>&1
  fi
  echo "$db"
}
