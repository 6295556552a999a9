#!/usr/bin/env bash
# Sets up a PostgreSQL database for Steward with least-privilege roles:
#   steward_owner       owns the database and its tables; runs the migrations
#   steward_app         what `steward serve` connects as: rows only (SELECT, INSERT, UPDATE,
#                       DELETE), never DDL, never UPDATE or DELETE on the audit trail
#   steward_log_reader  no login; the console's SQL prompt switches to it: it reads the
#                       log and security_events, nothing else
#
#   OWNER_PASSWORD=… APP_PASSWORD=… scripts/postgres-setup.sh SUPERUSER_URL [DATABASE]
#
# SUPERUSER_URL is a postgres:// URL of a superuser (for example
# postgres://postgres:secret@127.0.0.1:5432/postgres). DATABASE defaults to `steward`.
# Runs `steward migrate` as the owner (STEWARD_BIN, default `steward` on the PATH), then
# grants, and prints the two URLs to use. Safe to run again after an upgrade: the roles
# and database are kept, the migrations applied, the grants given again.
set -euo pipefail
admin=${1:?usage: OWNER_PASSWORD=… APP_PASSWORD=… $0 SUPERUSER_URL [DATABASE]}
database=${2:-steward}
: "${OWNER_PASSWORD:?set OWNER_PASSWORD}" "${APP_PASSWORD:?set APP_PASSWORD}"
bin=${STEWARD_BIN:-steward}
[[ "$database" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "postgres-setup.sh: DATABASE must be lower-case letters, digits and _" >&2; exit 2; }

# The server's address from the superuser's URL, for the URLs this prints.
hostport=$(sed -E 's#^postgres(ql)?://[^@]*@([^/]*)/.*$#\2#' <<<"$admin")

# Passwords go to psql as variables (:'owner_password'), quoted by psql itself.
psql "$admin" -v ON_ERROR_STOP=1 -q -v owner_password="$OWNER_PASSWORD" -v app_password="$APP_PASSWORD" -v db="$database" <<'SQL'
SELECT format('CREATE ROLE steward_owner LOGIN PASSWORD %L', :'owner_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_owner') \gexec
SELECT format('CREATE ROLE steward_app LOGIN PASSWORD %L', :'app_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_app') \gexec
SELECT 'CREATE ROLE steward_log_reader NOLOGIN'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_log_reader') \gexec
ALTER ROLE steward_owner PASSWORD :'owner_password';
ALTER ROLE steward_app PASSWORD :'app_password';
GRANT steward_log_reader TO steward_app;
GRANT steward_log_reader TO steward_owner;
SELECT format('CREATE DATABASE %I OWNER steward_owner', :'db')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
-- CONNECT, and TEMPORARY for the SQL prompt's private `log` table.
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO steward_app', :'db') \gexec
SQL

base="${admin%/*}"
owner_url="postgres://steward_owner:$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$OWNER_PASSWORD")@$hostport/$database"
app_url="postgres://steward_app:$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$APP_PASSWORD")@$hostport/$database"
STEWARD_DB="$owner_url" "$bin" migrate >&2

psql "$owner_url" -v ON_ERROR_STOP=1 -q <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO steward_app, steward_log_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO steward_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO steward_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO steward_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO steward_app;
-- The audit trail: appended to, never changed (the triggers refuse it too).
REVOKE UPDATE, DELETE, TRUNCATE ON security_events FROM steward_app;
-- The migrations' own bookkeeping is the owner's.
REVOKE INSERT, UPDATE, DELETE ON steward_migrations FROM steward_app;
GRANT SELECT ON security_events TO steward_log_reader;
SQL
echo "owner (migrations, backups, migrate --from-sqlite): $owner_url" | sed -E 's#//steward_owner:[^@]*@#//steward_owner:…@#'
echo "application (steward serve, console):             ${app_url}" | sed -E 's#//steward_app:[^@]*@#//steward_app:…@#'
