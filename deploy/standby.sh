#!/usr/bin/env bash
# A streaming hot standby of the project's cluster (deploy/db.sh): a base backup of the primary taken with
# pg_basebackup -R, on its own data directory, port and socket directory. Searches may read from it
# (ConnectionStrings:PostgresReadReplicas); it never takes writes.
#   deploy/standby.sh start    base backup if needed (or if the primary was re-created), start, wait until it streams
#   deploy/standby.sh stop     stop the standby (no error if it is not running)
#   deploy/standby.sh status   exit 0 when running
#   deploy/standby.sh url      print the Npgsql connection string of the standby
#   deploy/standby.sh lag      bytes of WAL the standby has not replayed yet and the replay lag in ms, from the
#                              primary's pg_stat_replication
# Environment: the primary is reached over TCP at UCOFIA_PGHOST (127.0.0.1) : UCOFIA_PGPORT (5433); the standby
# lives in UCOFIA_STANDBY_PGDATA (default .data/pg-standby) on UCOFIA_STANDBY_PGPORT (5434); UCOFIA_PGDATABASE
# (ucofia) names the database in the url.
# db.sh's cluster is ready for it: PostgreSQL 15 defaults to wal_level replica with 10 WAL senders, initdb
# --auth=trust writes 'host replication all 127.0.0.1/32 trust', and db.sh keeps wal_keep_size of WAL for base
# backups taken while the primary writes. No replication slot is made, so a standby that is removed pins no WAL
# on the primary; one that falls further behind than the WAL the primary keeps is rebuilt by 'stop', deleting
# its data directory, and 'start'.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRIMARY_HOST="${UCOFIA_PGHOST:-127.0.0.1}"
PRIMARY_PORT="${UCOFIA_PGPORT:-5433}"
STANDBY_DIR="${UCOFIA_STANDBY_PGDATA:-$root/.data/pg-standby}"
STANDBY_PORT="${UCOFIA_STANDBY_PGPORT:-5434}"
DB_NAME="${UCOFIA_PGDATABASE:-ucofia}"
SOCKET_DIR="$STANDBY_DIR/socket"
LOG_FILE="$STANDBY_DIR/server.log"
APP_NAME="ucofia_standby_$STANDBY_PORT"


LOG_TAG=standby
# shellcheck source=deploy/pg-env.sh
. "$root/deploy/pg-env.sh"

is_running() { as_db_user "$PG_BIN/pg_ctl" -D "$STANDBY_DIR/data" status >/dev/null 2>&1; }
psql_primary() { as_db_user "$PG_BIN/psql" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_standby() { as_db_user "$PG_BIN/psql" -h "$SOCKET_DIR" -p "$STANDBY_PORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# A backup of another cluster (the primary was re-initialised since) cannot stream from this one.
is_backup_of_primary() {
  local ours theirs
  ours="$(as_db_user "$PG_BIN/pg_controldata" "$STANDBY_DIR/data" | sed -n 's/^Database system identifier: *//p')"
  theirs="$(psql_primary -c "SELECT system_identifier FROM pg_control_system()")"
  [ -n "$ours" ] && [ "$ours" = "$theirs" ]
}

base_backup() {
  say "pg_basebackup from $PRIMARY_HOST:$PRIMARY_PORT into $STANDBY_DIR/data"
  as_db_user rm -rf "$STANDBY_DIR/data"
  as_db_user mkdir -p "$STANDBY_DIR/data" "$SOCKET_DIR"
  as_db_user chmod 700 "$STANDBY_DIR/data"
  # -R writes standby.signal and primary_conninfo; -X stream makes the copy consistent on its own.
  # The application_name goes into primary_conninfo, so 'lag' finds this standby among the primary's senders.
  # A backup taken while the primary writes much WAL may lose its stream (the primary recycled the segment): retry.
  for attempt in 1 2 3; do
    as_db_user "$PG_BIN/pg_basebackup" -d "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$DB_USER application_name=$APP_NAME" \
      -D "$STANDBY_DIR/data" -R -X stream -c fast --no-sync >/dev/null && return 0
    say "base backup attempt $attempt failed"
    as_db_user rm -rf "$STANDBY_DIR/data"
    as_db_user mkdir -p "$STANDBY_DIR/data"
    as_db_user chmod 700 "$STANDBY_DIR/data"
  done
  die "pg_basebackup failed three times"
}

start() {
  psql_primary -c "SELECT 1" >/dev/null 2>&1 || die "no primary on $PRIMARY_HOST:$PRIMARY_PORT: run deploy/db.sh start first"
  make_cluster_dir "$STANDBY_DIR"
  if [ -f "$STANDBY_DIR/data/PG_VERSION" ] && ! is_backup_of_primary; then
    stop
    say "the data directory holds another cluster's backup: taking a new one"
    as_db_user rm -rf "$STANDBY_DIR/data"
  fi
  [ -f "$STANDBY_DIR/data/PG_VERSION" ] || base_backup
  if is_running; then
    say "already running on port $STANDBY_PORT"
  else
    say "starting on port $STANDBY_PORT"
    # hot_standby_feedback: the primary's VACUUM keeps rows a search on the standby still reads, so searches are
    # not cancelled by recovery conflicts.
    as_db_user "$PG_BIN/pg_ctl" -D "$STANDBY_DIR/data" -l "$LOG_FILE" -w -t 60 \
      -o "-p $STANDBY_PORT -k $SOCKET_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c hot_standby_feedback=on" \
      start >/dev/null || { tail -20 "$LOG_FILE" >&2; die "the standby did not start"; }
  fi
  for _ in $(seq 1 60); do
    [ "$(psql_standby -c "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = "streaming" ] && return 0
    sleep 0.5
  done
  tail -20 "$LOG_FILE" >&2
  die "the standby runs but does not stream from $PRIMARY_HOST:$PRIMARY_PORT"
}

stop() {
  if [ -f "$STANDBY_DIR/data/PG_VERSION" ] && is_running; then
    say "stopping"
    as_db_user "$PG_BIN/pg_ctl" -D "$STANDBY_DIR/data" -m fast -w stop >/dev/null
  fi
}

# Bytes of WAL not replayed yet, and the time the primary last waited for a commit to be replayed (ms, empty
# when nothing was replayed lately); nothing when the standby is not connected.
lag() {
  psql_primary -F $'\t' -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint, round(extract(epoch FROM replay_lag) * 1000)
                   FROM pg_stat_replication WHERE application_name = '$APP_NAME'"
}

url() { echo "Host=127.0.0.1;Port=$STANDBY_PORT;Database=$DB_NAME;Username=$DB_USER"; }

case "${1:-}" in
  start) start; url ;;
  stop) stop ;;
  status) is_running ;;
  url) url ;;
  lag) lag ;;
  *) die "usage: $0 start|stop|status|url|lag" ;;
esac
