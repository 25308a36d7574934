#!/usr/bin/env bash
# The standby container's entrypoint (docker-compose.yml): on first start a base backup of the primary with
# pg_basebackup -R (standby.signal and primary_conninfo), then a hot standby that streams from it.
# Environment: PRIMARY_HOST, PGUSER and PGPASSWORD (a role with REPLICATION: the image's superuser).
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -U "$PGUSER" -q; do sleep 1; done
  rm -rf "${PGDATA:?}"/*
  pg_basebackup -h "$PRIMARY_HOST" -U "$PGUSER" -D "$PGDATA" -R -X stream -c fast
  chmod 700 "$PGDATA"
fi
# hot_standby_feedback: the primary's VACUUM keeps the rows a search here still reads, so no search is cancelled
# by a recovery conflict.
exec postgres -D "$PGDATA" -c hot_standby_feedback=on
