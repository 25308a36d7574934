-- Initial schema. {{dim}} is the model's embedding dimension, substituted by SchemaMigrator;
-- every vector column is halfvec(D): half the index size of vector and ~5e-5 round-trip error.
CREATE EXTENSION IF NOT EXISTS vector;

-- Settings that the whole database depends on; SchemaMigrator refuses a model whose D differs.
CREATE TABLE schema_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO schema_settings (key, value) VALUES ('embedding_dim', '{{dim}}');

CREATE TABLE videos (
    id          uuid PRIMARY KEY,
    sha256      text NOT NULL UNIQUE,
    title       text,
    duration_s  double precision NOT NULL CHECK (duration_s >= 0),
    fps         double precision NOT NULL CHECK (fps >= 0),
    frame_count integer NOT NULL CHECK (frame_count >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    metadata    jsonb NOT NULL DEFAULT '{}',
    embedding   halfvec({{dim}}) NOT NULL,
    -- Online Sinkhorn–Knopp bias, one entry per granularity (video, frame, patch); NULL until fitted.
    sk_bias     real[]
);
-- Keyset for the newest-first listing.
CREATE INDEX videos_created_at ON videos (created_at DESC, id);

CREATE TABLE video_frames (
    video_id  uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    idx       integer NOT NULL,
    t_s       double precision NOT NULL,
    embedding halfvec({{dim}}) NOT NULL,
    PRIMARY KEY (video_id, idx)
);

-- Patches hang off their frame, so deleting a video cascades videos → frames → patches.
CREATE TABLE video_patches (
    video_id  uuid NOT NULL,
    frame_idx integer NOT NULL,
    rank      integer NOT NULL,
    patch_idx integer NOT NULL,
    embedding halfvec({{dim}}) NOT NULL,
    PRIMARY KEY (video_id, frame_idx, rank),
    FOREIGN KEY (video_id, frame_idx) REFERENCES video_frames (video_id, idx) ON DELETE CASCADE
);

CREATE TABLE captions (
    id         uuid PRIMARY KEY,
    video_id   uuid REFERENCES videos (id) ON DELETE CASCADE,
    text       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    embedding  halfvec({{dim}}) NOT NULL
);
-- The cascade from videos looks captions up by video.
CREATE INDEX captions_video_id ON captions (video_id) WHERE video_id IS NOT NULL;

CREATE TABLE caption_words (
    caption_id uuid NOT NULL REFERENCES captions (id) ON DELETE CASCADE,
    pos        integer NOT NULL,
    token_id   integer NOT NULL,
    embedding  halfvec({{dim}}) NOT NULL,
    PRIMARY KEY (caption_id, pos)
);

CREATE TABLE ingest_jobs (
    id          uuid PRIMARY KEY,
    video_id    uuid NOT NULL,
    sha256      text NOT NULL,
    state       text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    progress    real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    error       text,
    attempts    integer NOT NULL DEFAULT 0,
    upload_path text NOT NULL,
    title       text,
    captions    text[] NOT NULL DEFAULT '{}',
    metadata    jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- At most one live job per file: a second concurrent upload of the same bytes joins the first.
CREATE UNIQUE INDEX ingest_jobs_active_sha256 ON ingest_jobs (sha256) WHERE state IN ('queued', 'running');
-- The claim query takes the oldest queued job.
CREATE INDEX ingest_jobs_queued ON ingest_jobs (created_at) WHERE state = 'queued';

-- Text-side scaling of the online Sinkhorn–Knopp, refitted by the background rebalance.
CREATE TABLE sk_state (
    granularity   text PRIMARY KEY,
    query_scaling real[] NOT NULL,
    gallery_size  integer NOT NULL,
    fitted_at     timestamptz NOT NULL DEFAULT now()
);

-- Coarse recall indexes (cosine on L2-normalised features). Empty at creation, so they cost nothing now.
CREATE INDEX videos_embedding_hnsw ON videos USING hnsw (embedding halfvec_cosine_ops);
CREATE INDEX video_frames_embedding_hnsw ON video_frames USING hnsw (embedding halfvec_cosine_ops);
CREATE INDEX captions_embedding_hnsw ON captions USING hnsw (embedding halfvec_cosine_ops);
