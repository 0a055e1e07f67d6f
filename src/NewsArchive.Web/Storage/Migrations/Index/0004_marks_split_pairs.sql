-- The grams changed (Search/Tokens.cs, RunGrams): punctuation and symbols no longer form pairs
-- with their neighbours; each mark is a token of its own, as are the characters next to it, and
-- the gap and skip markers are three characters long. The index is emptied and disowned, to be
-- rebuilt from the stored articles, as in 0002.
INSERT INTO search_index (search_index) VALUES ('delete-all');
UPDATE index_state SET archive_id = NULL, applied_seq = 0 WHERE id = 1;
