-- Several service instances share one job table. A running job belongs to its owner for a lease the owner renews;
-- another instance takes it over only once the lease has expired, and bumps the epoch, and every write of a job's
-- results checks the epoch it was claimed under, so a stale owner (paused, partitioned) can never commit.
ALTER TABLE ingest_jobs ADD COLUMN owner text, ADD COLUMN lease_until timestamptz, ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
-- Jobs a service without leases left running: expired, so the first instance to look takes them over.
UPDATE ingest_jobs SET lease_until = now() WHERE state = 'running';
CREATE INDEX ingest_jobs_expired_lease ON ingest_jobs (lease_until) WHERE state = 'running';
