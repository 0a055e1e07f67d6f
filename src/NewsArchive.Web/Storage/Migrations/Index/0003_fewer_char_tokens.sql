-- Characters outside Search/common-chars.txt have their own token only where no pair of the same
-- column begins with them (Search/Tokens.cs). The index is emptied and disowned, to be rebuilt
-- from the stored articles, as in 0002.
INSERT INTO search_index (search_index) VALUES ('delete-all');
UPDATE index_state SET archive_id = NULL, applied_seq = 0 WHERE id = 1;
