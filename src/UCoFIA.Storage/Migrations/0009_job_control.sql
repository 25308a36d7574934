-- Jobs can be listed, canceled and retried, and an upload may name a callback URL (issue 17).
ALTER TABLE ingest_jobs DROP CONSTRAINT ingest_jobs_state_check;
ALTER TABLE ingest_jobs ADD CONSTRAINT ingest_jobs_state_check
    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled'));
-- A running job's owner reads cancel_requested between stages and stops; the store transaction refuses to commit once
-- it is set. upload_kept_until: a failed or canceled job keeps its upload until then, for a retry; null once swept.
ALTER TABLE ingest_jobs ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false,
    ADD COLUMN upload_kept_until timestamptz,
    ADD COLUMN callback_url text;
-- GET /api/jobs: newest first, all of them or one state.
CREATE INDEX ingest_jobs_newest ON ingest_jobs (created_at DESC, id DESC);
CREATE INDEX ingest_jobs_state_newest ON ingest_jobs (state, created_at DESC, id DESC);
CREATE INDEX ingest_jobs_kept_uploads ON ingest_jobs (upload_kept_until) WHERE upload_kept_until IS NOT NULL;

-- One row per callback a finished job owes: written in the statement that finishes the job, so it survives any
-- crash, and claimed with a lease like a job, so that two instances do not both send it.
CREATE TABLE job_callbacks (
    id              uuid PRIMARY KEY,
    job_id          uuid NOT NULL REFERENCES ingest_jobs (id),
    url             text NOT NULL,
    -- The exact bytes sent and signed; text, not jsonb, which would not keep them.
    body            text NOT NULL,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'abandoned')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    owner           text,
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX job_callbacks_due ON job_callbacks (next_attempt_at) WHERE state = 'pending';
CREATE INDEX job_callbacks_job ON job_callbacks (job_id);
