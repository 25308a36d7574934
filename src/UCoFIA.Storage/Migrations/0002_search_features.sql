-- Search features: frame thumbnails for moments, and an index for metadata filters.

-- One small JPEG per sampled frame, written at ingest; idx matches video_frames.idx.
CREATE TABLE video_thumbnails (
    video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    idx      integer NOT NULL CHECK (idx >= 0),
    jpeg     bytea NOT NULL,
    PRIMARY KEY (video_id, idx)
);

-- Metadata equality filters are written as `metadata @> $1`, which this index answers.
CREATE INDEX videos_metadata_gin ON videos USING gin (metadata jsonb_path_ops);
