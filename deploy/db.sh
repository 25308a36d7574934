#!/usr/bin/env bash
# Manages a PostgreSQL cluster owned by the project: its own data directory, port and socket
# directory, so it never touches the machine's default cluster.
#   deploy/db.sh start    initdb if needed, start, create the database and the vector extension
#   deploy/db.sh stop     stop the cluster (no error if it is not running)
#   deploy/db.sh status   exit 0 when running
#   deploy/db.sh url      print the Npgsql connection string
# Environment: UCOFIA_PGDATA (default .data/pg), UCOFIA_PGPORT (5433), UCOFIA_PGDATABASE (ucofia).
# As root the server runs as the 'postgres' user; as a normal user it runs as that user.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDATA_DIR="${UCOFIA_PGDATA:-$root/.data/pg}"
PGPORT_NUM="${UCOFIA_PGPORT:-5433}"
DB_NAME="${UCOFIA_PGDATABASE:-ucofia}"
SOCKET_DIR="$PGDATA_DIR/socket"
LOG_FILE="$PGDATA_DIR/server.log"


LOG_TAG=db
# shellcheck source=deploy/pg-env.sh
. "$root/deploy/pg-env.sh"

is_running() { as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR/data" status >/dev/null 2>&1; }
psql_db() { as_db_user "$PG_BIN/psql" -h "$SOCKET_DIR" -p "$PGPORT_NUM" -U "$DB_USER" -v ON_ERROR_STOP=1 -qAt "$@"; }

start() {
  make_cluster_dir "$PGDATA_DIR"
  if [ ! -f "$PGDATA_DIR/data/PG_VERSION" ]; then
    say "initdb $PGDATA_DIR/data"
    as_db_user mkdir -p "$PGDATA_DIR/data" "$SOCKET_DIR"
    as_db_user "$PG_BIN/initdb" -D "$PGDATA_DIR/data" -U "$DB_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if is_running; then
    say "already running on port $PGPORT_NUM"
  else
    say "starting on port $PGPORT_NUM"
    # wal_keep_size: a standby's base backup (deploy/standby.sh) streams the WAL written meanwhile, and checkpoints
    # forced by CREATE DATABASE (the tests make one per class) would otherwise recycle it under the backup.
    as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR/data" -l "$LOG_FILE" -w -t 60 \
      -o "-p $PGPORT_NUM -k $SOCKET_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c maintenance_work_mem=512MB -c wal_keep_size=256MB" \
      start >/dev/null || { tail -20 "$LOG_FILE" >&2; die "PostgreSQL did not start"; }
  fi
  if [ "$(psql_db -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
    say "creating database $DB_NAME"
    psql_db -d postgres -c "CREATE DATABASE \"$DB_NAME\""
  fi
  psql_db -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS vector" \
    || die "the vector extension is missing: run deploy/install.sh"
}

stop() {
  if [ -f "$PGDATA_DIR/data/PG_VERSION" ] && is_running; then
    say "stopping"
    as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR/data" -m fast -w stop >/dev/null
  fi
}

url() { echo "Host=127.0.0.1;Port=$PGPORT_NUM;Database=$DB_NAME;Username=$DB_USER"; }

case "${1:-}" in
  start) start; url ;;
  stop) stop ;;
  status) is_running ;;
  url) url ;;
  *) die "usage: $0 start|stop|status|url" ;;
esac
