-- The images of article bodies and lead images (Media/): one row per URL, queued in the same
-- transaction as the article that names it, fetched in the background, stored content-addressed
-- (the bytes are in the folder beside the database, Storage/MediaStore.cs MediaBlobs).
-- state: queued | fetching (claimed by a fetcher) | stored | failed.
-- next_attempt (Unix ms): when a failed row is tried again; NULL waits for `media --retry`.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    url          TEXT    NOT NULL UNIQUE,
    state        TEXT    NOT NULL DEFAULT 'queued',
    hash         TEXT,
    content_type TEXT,
    size         INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    next_attempt INTEGER,
    queued_at    INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX media_by_state ON media (state, next_attempt);
CREATE INDEX media_by_hash ON media (hash) WHERE hash IS NOT NULL;
