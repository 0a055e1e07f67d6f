-- The search index moves to a file of its own (Migrations/Index), so the ingest can write the
-- articles and the index at the same time. It is rebuilt from the articles on the next ingest.
DROP TABLE IF EXISTS search_index;

-- What the index has yet to take in, in order: put = 1 indexes the article that has this sort_key
-- (if it still does), put = 0 removes the key. Written in the same transaction as the articles;
-- the index file records the last seq it applied, and entries up to there are pruned.
-- AUTOINCREMENT: a seq is never reused, even after every entry has been pruned.
CREATE TABLE index_queue (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    sort_key INTEGER NOT NULL,
    put      INTEGER NOT NULL
);

-- Identifies this archive, so an index file that belongs to another one is rebuilt, not trusted.
CREATE TABLE archive_info (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    archive_id TEXT    NOT NULL
);
INSERT INTO archive_info (id, archive_id) VALUES (1, lower(hex(randomblob(16))));
