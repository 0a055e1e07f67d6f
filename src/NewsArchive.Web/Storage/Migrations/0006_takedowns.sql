-- Articles the operator took down (the takedown command): removed, with their index entries,
-- and kept out when their file is ingested again; restore deletes the row.
CREATE TABLE takedowns (
    permalink   TEXT    PRIMARY KEY,
    url         TEXT    NOT NULL UNIQUE,
    source_path TEXT    NOT NULL,       -- the file restore reads again
    reason      TEXT,
    taken_at    INTEGER NOT NULL        -- Unix ms
) WITHOUT ROWID;

-- Taking down removes the article and queues its index entry's removal, in the same transaction.
CREATE TRIGGER takedown_removes AFTER INSERT ON takedowns
BEGIN
    INSERT INTO index_queue (sort_key, put) SELECT sort_key, 0 FROM articles WHERE permalink = NEW.permalink;
    DELETE FROM articles WHERE permalink = NEW.permalink;
END;

-- An ingest storing a taken-down article stores nothing (the ingest itself knows nothing of takedowns).
CREATE TRIGGER takedown_keeps_out BEFORE INSERT ON articles
WHEN EXISTS (SELECT 1 FROM takedowns WHERE permalink = NEW.permalink OR url = NEW.url)
BEGIN
    SELECT RAISE(IGNORE);
END;

-- ... and the index entry it then queues (with the document it built) becomes a removal.
CREATE TRIGGER takedown_not_indexed AFTER INSERT ON index_queue
WHEN NEW.put = 1 AND NOT EXISTS (SELECT 1 FROM articles WHERE sort_key = NEW.sort_key)
BEGIN
    UPDATE index_queue SET put = 0 WHERE seq = NEW.seq;
END;

-- Restoring forgets the file's record, so that the next ingest of it reads it again.
CREATE TRIGGER takedown_restored AFTER DELETE ON takedowns
BEGIN
    DELETE FROM source_files WHERE path = OLD.source_path;
END;
