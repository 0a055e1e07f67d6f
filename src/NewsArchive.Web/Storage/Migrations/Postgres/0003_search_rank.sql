-- Each article's ranking vector (Storage/Postgres/PostgresSearchIndex.Chunks.cs) on its chunk 0: the title
-- columns and the first 64 tokens of each body column, at their positions. Ranking a window of
-- matches read every chunk's whole tsvector before, detoasting tens of KB per article
-- (docs/benchmarks.md); this one is small and kept in the row (STORAGE MAIN). Rows written before
-- have none: the index is emptied and disowned, and the indexer rebuilds it from the stored
-- articles (Ingest/Indexer.Prepare).
DELETE FROM search_chunks;
ALTER TABLE search_chunks ADD COLUMN rank tsvector;
ALTER TABLE search_chunks ALTER COLUMN rank SET STORAGE MAIN;
UPDATE index_state SET archive_id = NULL, applied_seq = 0 WHERE id = 1;
