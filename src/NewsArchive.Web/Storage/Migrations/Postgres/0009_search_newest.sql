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

-- 0008's, and the ordered index and search_whole_newest's body with the RUM ones.
CREATE OR REPLACE FUNCTION search_index_use(rum boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    have_rum boolean;
    have_gin boolean;
    have_newest boolean;
BEGIN
    -- One caller at a time (a node starting while an ingest ends its bulk load): the second finds the first's indexes.
    PERFORM pg_advisory_xact_lock(1312902985);
    have_rum := EXISTS (SELECT FROM pg_indexes WHERE tablename = 'search_chunks' AND indexname = 'search_chunks_whole_rum');
    have_gin := EXISTS (SELECT FROM pg_indexes WHERE tablename = 'search_chunks' AND indexname = 'search_chunks_whole');
    have_newest := EXISTS (SELECT FROM pg_indexes WHERE tablename = 'search_chunks' AND indexname = 'search_chunks_whole_newest');
    IF rum AND NOT have_rum AND NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'rum') THEN
        IF NOT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'rum') THEN
            rum := false;
        ELSE
            BEGIN
                CREATE EXTENSION rum;
            EXCEPTION WHEN OTHERS THEN -- not a superuser, or a server not restarted since the package came
                rum := false;
            END;
        END IF;
    END IF;
    IF rum AND NOT have_rum THEN
        CREATE INDEX search_chunks_whole_rum ON search_chunks USING rum (tsv rum_tsvector_ops) WHERE whole;
        CREATE INDEX search_chunks_parts_rum ON search_chunks USING rum (tsv rum_tsvector_ops) WHERE NOT whole;
    ELSIF NOT rum AND NOT have_gin THEN
        CREATE INDEX search_chunks_whole ON search_chunks USING gin (tsv) WHERE whole;
        CREATE INDEX search_chunks_parts ON search_chunks USING gin (tsv) WHERE NOT whole;
    END IF;
    IF rum THEN
        IF NOT have_newest THEN
            CREATE INDEX search_chunks_whole_newest ON search_chunks
                USING rum (tsv rum_tsvector_addon_ops, sort_key) WITH (attach = 'sort_key', to = 'tsv') WHERE whole AND chunk = 0;
        END IF;
        CREATE OR REPLACE FUNCTION search_whole_newest(q tsquery, lo bigint, hi bigint, n bigint) RETURNS SETOF bigint
        LANGUAGE sql STABLE SET enable_seqscan = off
        AS $f$ SELECT sort_key FROM (SELECT sort_key FROM search_chunks WHERE whole AND chunk = 0 AND tsv @@ q
                                     ORDER BY sort_key <=| LEAST(hi, 4503599627370496) LIMIT n) k
               WHERE sort_key BETWEEN lo AND hi $f$;
        DROP INDEX IF EXISTS search_chunks_whole, search_chunks_parts;
        RETURN 'rum';
    END IF;
    CREATE OR REPLACE FUNCTION search_whole_newest(q tsquery, lo bigint, hi bigint, n bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $f$ SELECT k FROM search_whole(q, lo, hi) k ORDER BY k DESC LIMIT n $f$;
    DROP INDEX IF EXISTS search_chunks_whole_rum, search_chunks_parts_rum, search_chunks_whole_newest;
    RETURN 'gin';
END $$;
