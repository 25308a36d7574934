-- The upload already ran ffprobe to reject non-videos; keeping its result on the job spares the job a second
-- probe (ffprobe start-up was nearly half of a short clip's ingestion time, docs/performance.md).
ALTER TABLE ingest_jobs ADD COLUMN probe jsonb;
