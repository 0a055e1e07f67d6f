-- The newest matches from the index under RUM. A search page ranks the newest 1,000 matches
-- (SearchEngine.RankWindow) or lists the newest: search_whole returned every match, each a heap row
-- fetched for its sort_key, then sorted (美国: 47,892 rows, 21k heap pages, 60 ms on the 104k archive).
-- A second RUM index on the whole rows with sort_key attached to each lexeme's entry
-- (rum_tsvector_addon_ops) orders them in the index (`sort_key <=| hi`: nearest below hi first; the
-- distance is a float8, exact while hi is at most 2^52, far above any key: SortKeys),
-- so only the rows returned are fetched: 11 ms for 美国 (docs/benchmarks.md). It stores sort_key
-- instead of positions, so a phrase is rechecked on each row it returns (its first n, not all) and
-- the positional index stays for everything else (counts, facets, exclusions). Its predicate names
-- chunk = 0 (a whole row's only chunk), which only search_whole_newest states, so that no other
-- statement can use it: the planner took it for an unordered phrase on a small table.
--
-- The range filters the n nearest below hi, outside the ordered scan: in it (sort_key + 0, as in
-- 0008) the planner guessed 0.5% of the matches in range and sorted them all instead.
--
-- search_whole_newest(q, lo, hi, n): the n newest keys in [lo, hi] whose whole row matches q; its
-- body is chosen by search_index_use, as the index is: ordered by the index under RUM, and under
-- GIN (this first form) all matches sorted, as before.
CREATE FUNCTION search_whole_newest(q tsquery, lo bigint, hi bigint, n bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE
AS $$ SELECT k FROM search_whole(q, lo, hi) k ORDER BY k DESC LIMIT n $$;

-- search_index_use as 0008 wrote it builds the positional index (RUM or GIN) and says which; this
-- one, under the same name, then builds or drops the ordered index and chooses search_whole_newest's
-- body to match. 0008's advisory lock is held to the end of the transaction, so it covers both.
ALTER FUNCTION search_index_use(boolean) RENAME TO search_index_positional;
CREATE FUNCTION search_index_use(rum boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    kind text := search_index_positional(rum);
BEGIN
    IF kind = 'rum' THEN
        IF NOT EXISTS (SELECT FROM pg_indexes WHERE tablename = 'search_chunks' AND indexname = 'search_chunks_whole_newest') THEN
            CREATE INDEX search_chunks_whole_newest ON search_chunks
                USING rum (tsv rum_tsvector_addon_ops, sort_key) WITH (attach = 'sort_key', to = 'tsv') WHERE whole AND chunk = 0;
        END IF;
        CREATE OR REPLACE FUNCTION search_whole_newest(q tsquery, lo bigint, hi bigint, n bigint) RETURNS SETOF bigint
        LANGUAGE sql STABLE SET enable_seqscan = off
        AS $f$ SELECT sort_key FROM (SELECT sort_key FROM search_chunks WHERE whole AND chunk = 0 AND tsv @@ q
                                     ORDER BY sort_key <=| LEAST(hi, 4503599627370496) LIMIT n) k
               WHERE sort_key BETWEEN lo AND hi $f$;
    ELSE
        DROP INDEX IF EXISTS search_chunks_whole_newest;
        CREATE OR REPLACE FUNCTION search_whole_newest(q tsquery, lo bigint, hi bigint, n bigint) RETURNS SETOF bigint
        LANGUAGE sql STABLE
        AS $f$ SELECT k FROM search_whole(q, lo, hi) k ORDER BY k DESC LIMIT n $f$;
    END IF;
    RETURN kind;
END $$;
