-- `ucofia reindex` re-encodes the stored videos from their kept originals, for a new model or new segment
-- settings. While it runs the gallery holds two encodings, so it is marked here and a service refuses to start
-- (GalleryModel). Each video's new segments, and for a new model each caption's new features, commit together with
-- the item's row in reindex_done, so an interrupted run resumes where it stopped. Both tables are emptied in the
-- transaction that binds the gallery to the target model.
CREATE TABLE reindex (
    -- At most one reindex at a time: the table holds one row or none.
    singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    model_fingerprint text NOT NULL,
    model_source      text NOT NULL,
    segment_seconds   double precision NOT NULL CHECK (segment_seconds > 0),
    stride_seconds    double precision NOT NULL CHECK (stride_seconds > 0),
    -- The gallery holds (or a restarted run left) features of another model than the target: the captions are
    -- re-encoded too, and the gallery is rebound only once every video is.
    model_changes     boolean NOT NULL,
    started_at        timestamptz NOT NULL DEFAULT now()
);

-- The videos and captions already re-encoded for the target (their ids are distinct uuids).
CREATE TABLE reindex_done (
    id uuid PRIMARY KEY
);
