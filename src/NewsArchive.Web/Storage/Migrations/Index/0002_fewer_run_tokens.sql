-- The tokens changed (Search/Tokens.cs): Latin-only runs have no pairs, a skip token stands for a
-- run without pairs, and a gap only separates runs where the next begins with the character the
-- last one ended with. An index of the old tokens is emptied and disowned, so the next ingest
-- (or the service at start-up) rebuilds it from the stored articles (Ingest/Indexer.Prepare).
INSERT INTO search_index (search_index) VALUES ('delete-all');
UPDATE index_state SET archive_id = NULL, applied_seq = 0 WHERE id = 1;
