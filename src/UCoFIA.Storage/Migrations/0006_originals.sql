-- Originals are kept for playback and re-encoding (Storage:KeepOriginals, within a size budget). A video records
-- whether its original was kept (original_bytes, NULL when not), and what ffprobe said of its container and codec,
-- which decides whether a browser can play it as it is.
ALTER TABLE videos ADD COLUMN container text, ADD COLUMN codec text, ADD COLUMN original_bytes bigint CHECK (original_bytes >= 0);
