-- One shard: its part of the frame vectors (the rows whose video id hashes to it), an HNSW index built after the
-- load by setup.sh, and a view through which the coordinator reads the settings its own sessions run with.
CREATE TABLE IF NOT EXISTS video_frames (
    video_id  uuid NOT NULL,
    idx       integer NOT NULL,
    embedding halfvec(96) NOT NULL,
    PRIMARY KEY (video_id, idx)
);
CREATE OR REPLACE VIEW session_settings AS
    SELECT current_setting('hnsw.ef_search', true) AS ef_search, current_setting('hnsw.iterative_scan', true) AS iterative_scan;
