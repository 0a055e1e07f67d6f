-- The search index (see Search/Tokens.cs): words, character pairs and single characters of the
-- folded title and body, plus facet tokens (language, source) so filters are index lookups.
-- Contentless: the tokens are not stored twice. The rowid is the article's sort_key.
CREATE VIRTUAL TABLE search_index USING fts5 (
    title_words, title_grams, title_chars, body_words, body_grams, body_chars, facets,
    content = '', contentless_delete = 1, tokenize = 'ascii'
);
-- FTS5 buffers 1 MiB of new tokens before it writes a segment; an ingest batch holds ~16 MiB, and
-- one segment per batch saves a fifth of the index writer's time (docs/benchmarks.md).
INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 16777216);

-- How far this index has applied the articles file's index_queue, and for which archive.
CREATE TABLE index_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    archive_id  TEXT,
    applied_seq INTEGER NOT NULL
);
INSERT INTO index_state (id, archive_id, applied_seq) VALUES (1, NULL, 0);
