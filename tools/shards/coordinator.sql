-- The coordinator: video_frames partitioned by hash of video id into foreign tables, one per shard, and
-- single_frames, the same rows on this node alone. psql variables: servers ("0:5456 1:5457 "), videos, frames, ef, user.
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
DROP TABLE IF EXISTS video_frames, single_frames CASCADE;

CREATE TABLE video_frames (
    video_id  uuid NOT NULL,
    idx       integer NOT NULL,
    embedding halfvec(96) NOT NULL
) PARTITION BY HASH (video_id);

CREATE TABLE single_frames (
    video_id  uuid NOT NULL,
    idx       integer NOT NULL,
    embedding halfvec(96) NOT NULL,
    PRIMARY KEY (video_id, idx)
);

-- One server per shard:
-- * extensions 'vector': pgvector's operators count as shippable, so ORDER BY embedding <=> q LIMIT k runs on the
--   shard, over its HNSW index, instead of the coordinator pulling every row to sort it;
-- * options '-c ...': the shard's sessions start with the search settings. A SET or set_config on the coordinator
--   stays there (postgres_fdw sends only a few of its own settings), so this is how hnsw.ef_search and
--   hnsw.iterative_scan reach the shards;
-- * async_capable: the coordinator's Append starts every shard's scan before it waits for any.
SELECT format($$
    DROP SERVER IF EXISTS shard%1$s CASCADE;
    CREATE SERVER shard%1$s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (
        host '127.0.0.1', port %2$L, dbname 'ucofia_shards', extensions 'vector', async_capable 'true',
        fetch_size '1000', batch_size '1000',
        options '-c hnsw.ef_search=%3$s -c hnsw.iterative_scan=relaxed_order');
    CREATE USER MAPPING FOR CURRENT_USER SERVER shard%1$s OPTIONS (user %4$L);
    CREATE FOREIGN TABLE video_frames_shard%1$s PARTITION OF video_frames
        FOR VALUES WITH (MODULUS %5$s, REMAINDER %1$s) SERVER shard%1$s OPTIONS (table_name 'video_frames');
    CREATE FOREIGN TABLE shard%1$s_settings (ef_search text, iterative_scan text)
        SERVER shard%1$s OPTIONS (table_name 'session_settings');
    $$, split_part(s, ':', 1), split_part(s, ':', 2), :'ef', :'user', cardinality(string_to_array(trim(:'servers'), ' ')))
FROM unnest(string_to_array(trim(:'servers'), ' ')) AS s
\gexec

-- The gallery: random unit vectors (the WHERE ties the inner query to the row, so each row draws its own), the
-- same rows into both layouts.
INSERT INTO single_frames
SELECT v.id, f.idx, l2_normalize(array(SELECT random() * 2 - 1 FROM generate_series(1, 96) WHERE f.idx >= 0)::vector)::halfvec
FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, :videos)) AS v, generate_series(0, :frames - 1) AS f(idx);
SELECT format('TRUNCATE video_frames_shard%s', split_part(s, ':', 1)) FROM unnest(string_to_array(trim(:'servers'), ' ')) AS s
\gexec
INSERT INTO video_frames SELECT * FROM single_frames;
