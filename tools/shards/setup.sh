#!/usr/bin/env bash
# Builds the postgres_fdw shard measurement (docs/scaling.md, "Shards with postgres_fdw"): two shard clusters
# (deploy/db.sh on their own data directories and ports) hold the frame vectors of a random gallery split by
# hash of video id; a coordinator database on the project's cluster reaches them through postgres_fdw and keeps
# an unsplit copy of the same rows, so measure.sh compares the fan-out with a single node on identical data.
#   SHARD_VIDEOS (20000) videos × SHARD_FRAMES (8) frame vectors of dimension 96 (the default model's), halfvec.
# Environment: UCOFIA_PGPORT (coordinator, 5433), SHARD_PORTS ("5456 5457"), SHARD_EF (200: hnsw.ef_search on
# the shards, set in each foreign server's libpq options, since a SET on the coordinator does not travel).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
COORDINATOR_PORT="${UCOFIA_PGPORT:-5433}"
read -r -a SHARD_PORT_LIST <<< "${SHARD_PORTS:-5456 5457}"
VIDEOS="${SHARD_VIDEOS:-20000}"
FRAMES="${SHARD_FRAMES:-8}"
EF="${SHARD_EF:-200}"
DB=ucofia_shards

say() { printf '\033[1;34m[shards]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[shards]\033[0m %s\n' "$*" >&2; exit 1; }
# shellcheck source=deploy/pg-env.sh
. "$root/deploy/pg-env.sh"
psql_at() { as_db_user "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U "$DB_USER" -v ON_ERROR_STOP=1 -qAt "${@:2}"; }

say "coordinator on $COORDINATOR_PORT"
UCOFIA_PGDATABASE=$DB bash "$root/deploy/db.sh" start >/dev/null
servers=""
for i in "${!SHARD_PORT_LIST[@]}"; do
  port="${SHARD_PORT_LIST[$i]}"
  say "shard $i on $port"
  UCOFIA_PGDATA="$root/.data/shard$i" UCOFIA_PGPORT="$port" UCOFIA_PGDATABASE=$DB bash "$root/deploy/db.sh" start >/dev/null
  psql_at "$port" -d $DB -f "$here/shard.sql"
  servers="$servers$i:$port "
done

say "coordinator schema, servers and the gallery ($VIDEOS videos × $FRAMES frames)"
psql_at "$COORDINATOR_PORT" -d $DB -v servers="$servers" -v videos="$VIDEOS" -v frames="$FRAMES" -v ef="$EF" -v user="$DB_USER" \
  -f "$here/coordinator.sql"

say "HNSW on the single node and on every shard (after the load)"
psql_at "$COORDINATOR_PORT" -d $DB -c "SET maintenance_work_mem = '512MB'" \
  -c "CREATE INDEX IF NOT EXISTS single_frames_hnsw ON single_frames USING hnsw (embedding halfvec_cosine_ops)"
for port in "${SHARD_PORT_LIST[@]}"; do
  psql_at "$port" -d $DB -c "SET maintenance_work_mem = '512MB'" \
    -c "CREATE INDEX IF NOT EXISTS video_frames_hnsw ON video_frames USING hnsw (embedding halfvec_cosine_ops)" \
    -c "ANALYZE video_frames"
done
psql_at "$COORDINATOR_PORT" -d $DB -c "ANALYZE single_frames" -c "ANALYZE video_frames"
say "done: bash tools/shards/measure.sh"
