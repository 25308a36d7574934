#!/usr/bin/env bash
# Runs once, when the primary's data directory is created (docker-entrypoint-initdb.d): admits the standby's
# replication connection, which the image's pg_hba.conf does not (its 'all' matches databases, not replication).
# PostgreSQL 15 already runs with wal_level replica and 10 WAL senders.
set -euo pipefail
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
# WAL the standby's base backup streams while the primary keeps writing.
echo "wal_keep_size = 1GB" >> "$PGDATA/postgresql.conf"
