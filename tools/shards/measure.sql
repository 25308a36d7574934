-- Latency and agreement of frame recall (ORDER BY embedding <=> q LIMIT k) on one node against two postgres_fdw
-- shards holding the same rows. psql variables: queries, k, ef. Every query is a random unit vector; "exact" is a
-- sequential scan, the true top k. Agreement is |A ∩ exact| / k over frame keys (video, frame).
SET hnsw.ef_search = :ef;
SET hnsw.iterative_scan = relaxed_order;
SET client_min_messages = warning;

CREATE TEMP TABLE queries AS
SELECT n, l2_normalize(array(SELECT random() * 2 - 1 FROM generate_series(1, 96) WHERE n > 0)::vector)::halfvec AS q
FROM generate_series(1, :queries) AS n;

-- The three ways to recall, each returning its top-k frame keys; %1$s is the query vector's parameter, %2$s k.
CREATE TEMP TABLE plans (name text PRIMARY KEY, sql text);
INSERT INTO plans VALUES
  ('single node (HNSW)', 'SELECT array_agg(video_id::text || '':'' || idx) FROM (SELECT video_id, idx FROM single_frames ORDER BY embedding <=> $1 LIMIT $2) AS hits'),
  -- Through the partitioned table: ORDER BY reaches the shards, LIMIT does not (Merge Append above them).
  ('2 shards, partitioned table', 'SELECT array_agg(video_id::text || '':'' || idx) FROM (SELECT video_id, idx FROM video_frames ORDER BY embedding <=> $1 LIMIT $2) AS hits'),
  -- One top-k per shard (ORDER BY and LIMIT pushed down), fetched by an Async Append, merged here.
  ('2 shards, top-k per shard', $$
    SELECT array_agg(video_id::text || ':' || idx) FROM (
      SELECT video_id, idx FROM (
        WITH fanned AS MATERIALIZED (
          (SELECT video_id, idx, embedding <=> $1 AS d FROM video_frames_shard0 ORDER BY embedding <=> $1 LIMIT $2)
          UNION ALL
          (SELECT video_id, idx, embedding <=> $1 AS d FROM video_frames_shard1 ORDER BY embedding <=> $1 LIMIT $2))
        SELECT * FROM fanned ORDER BY d LIMIT $2) AS merged) AS hits$$);

CREATE TEMP TABLE runs (plan text, n int, ms double precision, keys text[]);
DO $$
DECLARE
  query record; plan record; started timestamptz; keys text[];
BEGIN
  FOR query IN SELECT * FROM queries ORDER BY n LOOP
    FOR plan IN SELECT * FROM plans ORDER BY name LOOP
      started := clock_timestamp();
      EXECUTE plan.sql INTO keys USING query.q, current_setting('measure.k')::int;
      INSERT INTO runs VALUES (plan.name, query.n, extract(epoch FROM clock_timestamp() - started) * 1000, keys);
    END LOOP;
    SET LOCAL enable_indexscan = off;
    EXECUTE 'SELECT array_agg(video_id::text || '':'' || idx) FROM (SELECT video_id, idx FROM single_frames ORDER BY embedding <=> $1 LIMIT $2) AS hits'
      INTO keys USING query.q, current_setting('measure.k')::int;
    INSERT INTO runs VALUES ('exact (sequential scan)', query.n, NULL, keys);
    RESET enable_indexscan;
  END LOOP;
END $$;

SELECT r.plan,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms)::numeric, 2) AS p50_ms,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY r.ms)::numeric, 2) AS p95_ms,
       round(avg((SELECT count(*) FROM unnest(r.keys) k WHERE k = ANY (e.keys)))::numeric / current_setting('measure.k')::int, 4) AS agreement_with_exact,
       round(avg((SELECT count(*) FROM unnest(r.keys) k WHERE k = ANY (s.keys)))::numeric / current_setting('measure.k')::int, 4) AS agreement_with_single
FROM runs r
JOIN runs e ON e.n = r.n AND e.plan = 'exact (sequential scan)'
JOIN runs s ON s.n = r.n AND s.plan = 'single node (HNSW)'
WHERE r.plan <> 'exact (sequential scan)'
GROUP BY r.plan ORDER BY r.plan;
