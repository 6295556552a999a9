#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server on loopback, for tests and benchmarks.
#
#   eval "$(scripts/pg-throwaway.sh start)"   # starts one, prints export lines
#   scripts/pg-throwaway.sh stop DIR           # stops it and removes its folder
#
# `start` creates a cluster in a new temporary folder (initdb; as the `postgres` system
# user when run as root, since PostgreSQL refuses to run as root), listens on 127.0.0.1
# on a free port only (no Unix socket in /var/run), turns fsync off (a throwaway server
# needs no durability) and creates a database `steward` owned by the user `steward`, and
# the role `steward_log_reader` the console's SQL prompt runs as, granted to `steward`.
# It prints `export` lines: STEWARD_TEST_PG_DIR (for `stop`), STEWARD_TEST_PG_URL (the
# application's URL) and STEWARD_TEST_PG_ADMIN_URL (the superuser's).
set -euo pipefail

bin_dir() {
    for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$candidate/initdb" ]; then echo "$candidate"; return; fi
    done
    echo "pg-throwaway: PostgreSQL server programs not found (apt-get install postgresql-15)" >&2
    exit 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local bin dir port password
    bin=$(bin_dir)
    dir=$(mktemp -d /tmp/steward-pg.XXXXXX)
    chmod 0755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    port=$(free_port)
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    (umask 077; echo "$password" >"$dir/pwfile")
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A scram-sha-256 --pwfile="$dir/pwfile" \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
            -c shared_buffers=256MB" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    PGPASSWORD=$password psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE ROLE steward LOGIN PASSWORD '$password' CREATEDB;
CREATE DATABASE steward OWNER steward;
-- The console's SQL prompt runs as this role (docs/postgresql.md).
CREATE ROLE steward_log_reader NOLOGIN;
GRANT steward_log_reader TO steward;
SQL
    echo "export STEWARD_TEST_PG_DIR=$dir"
    echo "export STEWARD_TEST_PG_URL=postgres://steward:$password@127.0.0.1:$port/steward"
    echo "export STEWARD_TEST_PG_ADMIN_URL=postgres://postgres:$password@127.0.0.1:$port/postgres"
}

stop() {
    local dir=${1:?usage: pg-throwaway.sh stop DIR}
    [ -d "$dir/data" ] || { echo "pg-throwaway: no server in $dir" >&2; exit 1; }
    as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
