#!/usr/bin/env bash
# Runs measure.sql against the gallery that setup.sh built, after checking that the search settings reach the
# shards and printing the plan of the per-shard top-k (ORDER BY ... LIMIT in each shard's Remote SQL).
# Environment: UCOFIA_PGPORT (coordinator, 5433), MEASURE_QUERIES (50), MEASURE_K (200), SHARD_EF (200).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
LOG_TAG=shards
# shellcheck source=deploy/pg-env.sh
. "$root/deploy/pg-env.sh"
psql_db() { as_db_user "$PG_BIN/psql" -h 127.0.0.1 -p "${UCOFIA_PGPORT:-5433}" -U "$DB_USER" -d ucofia_shards -v ON_ERROR_STOP=1 "$@"; }
K="${MEASURE_K:-200}"

echo "== settings the shards' sessions run with (through postgres_fdw)"
psql_db -c "SELECT 'shard0' AS shard, * FROM shard0_settings UNION ALL SELECT 'shard1', * FROM shard1_settings"
echo "== rows per shard"
psql_db -c "SELECT tableoid::regclass AS partition, count(*) FROM video_frames GROUP BY 1 ORDER BY 1"
echo "== plan of the per-shard top-k (the vector literal shortened)"
psql_db -qAt <<SQL | sed -E "s/'\[[^]]*\]'/'[…]'/g"
SELECT embedding AS q FROM single_frames LIMIT 1 \gset
EXPLAIN (VERBOSE, COSTS OFF)
WITH fanned AS MATERIALIZED (
  (SELECT video_id, idx, embedding <=> :'q' AS d FROM video_frames_shard0 ORDER BY embedding <=> :'q' LIMIT $K)
  UNION ALL
  (SELECT video_id, idx, embedding <=> :'q' AS d FROM video_frames_shard1 ORDER BY embedding <=> :'q' LIMIT $K))
SELECT video_id, idx FROM fanned ORDER BY d LIMIT $K;
SQL
echo "== latency and agreement"
PGOPTIONS="-c measure.k=$K" psql_db -q -v queries="${MEASURE_QUERIES:-50}" -v k="$K" -v ef="${SHARD_EF:-200}" -f "$here/measure.sql"
