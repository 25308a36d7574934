-- Versioned Sinkhorn–Knopp fits, and a fit for the caption gallery (video → text).
-- Every fit has its own offset, so a bias ranks only against biases of the same fit. Each bias now records the
-- fit it was computed under, sk_fit holds each gallery's current one, and a writer whose bias belongs to an
-- older fit is refused and recomputes it: a video ingested while a refit runs can no longer keep the old fit's
-- bias. The version lives here, not in a process, so that every service instance agrees on it.
CREATE TABLE sk_fit (
    gallery      text PRIMARY KEY CHECK (gallery IN ('videos', 'captions')),
    version      bigint NOT NULL CHECK (version >= 0),
    gallery_size integer NOT NULL CHECK (gallery_size >= 0),
    -- The stored videos that played the queries of a caption fit (the video → text bank); empty for the
    -- video gallery, whose bank is the sentence file beside the checkpoint.
    bank         uuid[] NOT NULL DEFAULT '{}',
    fitted_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO sk_fit (gallery, version, gallery_size)
SELECT 'videos', CASE WHEN count(*) > 0 THEN 1 ELSE 0 END, coalesce(max(gallery_size), 0) FROM sk_state;
INSERT INTO sk_fit (gallery, version, gallery_size) VALUES ('captions', 0, 0);

-- The query-side scaling of each gallery's current fit, one row per granularity.
CREATE TABLE sk_scaling (
    gallery       text NOT NULL REFERENCES sk_fit (gallery),
    granularity   text NOT NULL CHECK (granularity IN ('video', 'frame', 'patch')),
    query_scaling real[] NOT NULL,
    PRIMARY KEY (gallery, granularity)
);
INSERT INTO sk_scaling (gallery, granularity, query_scaling) SELECT 'videos', granularity, query_scaling FROM sk_state;
DROP TABLE sk_state;

-- Stored biases were all written under the one fit there was.
ALTER TABLE videos ADD COLUMN sk_fit bigint NOT NULL DEFAULT 0;
UPDATE videos SET sk_fit = (SELECT version FROM sk_fit WHERE gallery = 'videos');
ALTER TABLE captions ADD COLUMN sk_bias real[], ADD COLUMN sk_fit bigint NOT NULL DEFAULT 0;
