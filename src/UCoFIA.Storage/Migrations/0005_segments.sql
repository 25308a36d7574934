-- Long videos are cut into overlapping segments, each encoded on its own with the model's F frames: a segment is
-- what recall finds and the re-rank scores, and it carries the Sinkhorn–Knopp bias. A short video is one segment.
-- Frames and patches belong to a segment (their features depend on the segment's temporal context); a frame's
-- `sample` is its index among the video's sampled pictures, which is what a thumbnail is stored under, so two
-- overlapping segments that share a picture share its thumbnail.
CREATE TABLE video_segments (
    id           uuid PRIMARY KEY,
    video_id     uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    idx          integer NOT NULL CHECK (idx >= 0),
    start_s      double precision NOT NULL CHECK (start_s >= 0),
    end_s        double precision NOT NULL CHECK (end_s >= start_s),
    first_sample integer NOT NULL CHECK (first_sample >= 0),
    embedding    halfvec({{dim}}) NOT NULL,
    sk_bias      real[],
    sk_fit       bigint NOT NULL DEFAULT 0,
    UNIQUE (video_id, idx)
);

-- Every stored video becomes its own single segment, with the video's vector and bias; the segment takes the
-- video's id, which nothing else uses as a segment id.
INSERT INTO video_segments (id, video_id, idx, start_s, end_s, first_sample, embedding, sk_bias, sk_fit)
SELECT v.id, v.id, 0, 0, v.duration_s, 0, v.embedding, v.sk_bias, v.sk_fit FROM videos v;
ALTER TABLE videos DROP COLUMN sk_bias, DROP COLUMN sk_fit;

ALTER TABLE video_patches DROP CONSTRAINT video_patches_video_id_frame_idx_fkey;
ALTER TABLE video_patches DROP CONSTRAINT video_patches_pkey;
ALTER TABLE video_frames DROP CONSTRAINT video_frames_pkey;
ALTER TABLE video_frames ADD COLUMN segment integer NOT NULL DEFAULT 0, ADD COLUMN sample integer;
UPDATE video_frames SET sample = idx;
ALTER TABLE video_frames ALTER COLUMN sample SET NOT NULL, ALTER COLUMN segment DROP DEFAULT;
ALTER TABLE video_frames ADD PRIMARY KEY (video_id, segment, idx);
ALTER TABLE video_patches ADD COLUMN segment integer NOT NULL DEFAULT 0;
ALTER TABLE video_patches ALTER COLUMN segment DROP DEFAULT;
ALTER TABLE video_patches ADD PRIMARY KEY (video_id, segment, frame_idx, rank);
ALTER TABLE video_patches ADD FOREIGN KEY (video_id, segment, frame_idx) REFERENCES video_frames (video_id, segment, idx) ON DELETE CASCADE;

-- Recall finds segments, and caption lookup recalls by each segment's vector: the whole-video vector has no reader left.
DROP INDEX videos_embedding_hnsw;
ALTER TABLE videos DROP COLUMN embedding;
CREATE INDEX video_segments_embedding_hnsw ON video_segments USING hnsw (embedding halfvec_cosine_ops);
CREATE INDEX video_segments_video_id ON video_segments (video_id);
