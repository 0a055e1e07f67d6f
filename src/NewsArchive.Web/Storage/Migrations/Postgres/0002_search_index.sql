-- The search index (Storage/Postgres/PostgresSearchIndex*.cs): the FTS5 index's tokens (Search/Tokens.cs) as
-- app-made tsvector lexemes, each with a one-letter column prefix. An article is one row or,
-- past PostgreSQL's limits (256 positions per lexeme, positions up to 16,383, 1 MB per tsvector),
-- several overlapping chunks; `whole` says it is one row, where a whole query is exact in one
-- match, and each kind has its own GIN index so the rare chunked articles are looked up alone.
CREATE TABLE search_chunks (
    sort_key bigint   NOT NULL,
    chunk    int      NOT NULL,
    whole    boolean  NOT NULL,
    tsv      tsvector COMPRESSION lz4 NOT NULL,
    PRIMARY KEY (sort_key, chunk)
);
CREATE INDEX search_chunks_whole ON search_chunks USING gin (tsv) WHERE whole;
CREATE INDEX search_chunks_parts ON search_chunks USING gin (tsv) WHERE NOT whole;

-- The keys of the whole articles and of the chunked ones that match q, through the GIN indexes.
-- The planner sees a small heap (the tsvectors are TOASTed) and picks a sequential scan that
-- detoasts every row: 90 ms for a common pair on the dev corpus, against 1 ms through GIN.
CREATE FUNCTION search_whole(q tsquery, lo bigint, hi bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE SET enable_seqscan = off
AS $$ SELECT sort_key FROM search_chunks WHERE whole AND tsv @@ q AND sort_key BETWEEN lo AND hi $$;
CREATE FUNCTION search_parts(q tsquery, lo bigint, hi bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE SET enable_seqscan = off
AS $$ SELECT DISTINCT sort_key FROM search_chunks WHERE NOT whole AND tsv @@ q AND sort_key BETWEEN lo AND hi $$;

-- How far this index has applied index_queue, and for which archive.
CREATE TABLE index_state (
    id          int PRIMARY KEY CHECK (id = 1),
    archive_id  text,
    applied_seq bigint NOT NULL
);
INSERT INTO index_state (id, archive_id, applied_seq) VALUES (1, NULL, 0);
