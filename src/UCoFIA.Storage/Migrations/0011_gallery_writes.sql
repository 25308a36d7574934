-- Read replicas: a search reads from a standby only once the standby has replayed the gallery's newest write, so a
-- client whose job has succeeded (or whose delete has returned) finds the change in its next search, whichever
-- instance serves it. The newest write is a counter that every such write increments inside its own transaction:
-- a standby whose copy of the row has reached the primary's value has replayed that transaction and, WAL being
-- replayed in order, everything committed before it. (A WAL position taken after the commit would need a second
-- statement, and an instance notified of the change could refill its cache from a lagging standby in between.)
CREATE TABLE gallery_writes (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint NOT NULL
);
INSERT INTO gallery_writes (version) VALUES (0);

-- The last statement of a writer's transaction, so the row lock that orders the writers is held only to the commit.
CREATE FUNCTION note_gallery_write() RETURNS void LANGUAGE sql AS $$
    UPDATE gallery_writes SET version = version + 1
$$;

-- A job is marked succeeded in its own transaction after the ones that stored its video and its captions, so the
-- write noted here covers both, and it commits together with the 'succeeded' that a client polls for.
CREATE FUNCTION note_succeeded_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM note_gallery_write();
    RETURN NULL;
END
$$;
CREATE TRIGGER ingest_jobs_note_success AFTER UPDATE OF state ON ingest_jobs
    FOR EACH ROW WHEN (NEW.state = 'succeeded' AND OLD.state <> 'succeeded') EXECUTE FUNCTION note_succeeded_job();
