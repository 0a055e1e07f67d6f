-- Outlets (docs/outlets.md): an article's outlet is derived from its URL's host and its front
-- matter's author by the outlet table (Model/OutletTable); an author who is a person is its byline.
-- source keeps what the reader read (the author, or the URL's host), which the revision rule and
-- the 301s of old ?source=<name> links use. Existing rows get their outlet and byline from the
-- ingest's start (Ingest/OutletAssignment), a batch per transaction; outlets_fingerprint says which
-- table and rule derived them, so a changed table derives them again.
CREATE TABLE outlets (
    id        TEXT PRIMARY KEY,        -- the slug: ?source=<id>, the search index's facet token
    name_hans TEXT NOT NULL,
    name_hant TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    home_host TEXT NOT NULL,
    hosts     TEXT NOT NULL,           -- JSON array
    aliases   TEXT NOT NULL            -- JSON array
) WITHOUT ROWID;

ALTER TABLE articles ADD COLUMN outlet TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN byline TEXT;
ALTER TABLE archive_info ADD COLUMN outlets_fingerprint TEXT;

-- Lists, feeds and neighbours go by outlet now; nothing reads by source alone (the revision rule
-- has articles_by_title, whose first column is source).
DROP INDEX articles_by_source;
CREATE INDEX articles_by_outlet ON articles (outlet, sort_key);
