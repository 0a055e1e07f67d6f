-- The fold (Text/ChineseScript.cs) no longer maps 926 Simplified characters to another candidate of
-- their OpenCC row (坏 → 坯 made a search for 破壞, folded 破坏, miss 破坏, folded 破坯). The index is
-- emptied and disowned, to be rebuilt from the stored articles with the corrected fold, as in 0002.
INSERT INTO search_index (search_index) VALUES ('delete-all');
UPDATE index_state SET archive_id = NULL, applied_seq = 0 WHERE id = 1;
