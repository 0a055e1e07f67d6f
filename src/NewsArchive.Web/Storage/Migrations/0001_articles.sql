-- Articles: one row per original URL. sort_key orders by publication time (seconds << 4 plus a
-- slot; the id for undated articles, below every dated key) and is also the search index rowid,
-- so "newest first" is a walk down one integer key (see ArticleStore.AllocateSortKey).
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    permalink    TEXT    NOT NULL UNIQUE,
    url          TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    published    INTEGER,              -- Unix ms, NULL when unknown
    sort_key     INTEGER NOT NULL UNIQUE,
    source       TEXT    NOT NULL,
    language     TEXT    NOT NULL,
    tags         TEXT    NOT NULL,     -- JSON array
    excerpt      TEXT    NOT NULL,
    lead_image   TEXT,
    text         TEXT    NOT NULL,
    html         TEXT    NOT NULL,
    source_path  TEXT    NOT NULL,     -- the file whose copy is stored (see ArticleStore.Upsert)
    ingested_at  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX articles_by_source ON articles (source, sort_key);
CREATE INDEX articles_by_language ON articles (language, sort_key);

-- Every file the ingest has seen, so a re-run reads only new or changed files.
CREATE TABLE source_files (
    path        TEXT    PRIMARY KEY,
    size        INTEGER NOT NULL,
    mtime       INTEGER NOT NULL,
    hash        TEXT    NOT NULL,
    status      TEXT    NOT NULL,      -- article | duplicate | skipped | rejected
    reason      TEXT,
    article_id  INTEGER
) WITHOUT ROWID;

-- The search index (see Search/Tokens.cs): words, character pairs and single characters of the
-- folded title and body, plus facet tokens (language, source) so filters are index lookups.
-- Contentless: the tokens are not stored twice.
CREATE VIRTUAL TABLE search_index USING fts5 (
    title_words, title_grams, title_chars, body_words, body_grams, body_chars, facets,
    content = '', contentless_delete = 1, tokenize = 'ascii'
);
