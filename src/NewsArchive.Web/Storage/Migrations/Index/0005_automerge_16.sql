-- FTS5 merges segments once 16 of a level are waiting, not 4: each posting is rewritten about half
-- as often (log16 of the segments instead of log4), which was most of the index writer's time on a
-- large ingest (docs/benchmarks.md). A setting only: the index is kept as it is.
INSERT INTO search_index (search_index, rank) VALUES ('automerge', 16);
