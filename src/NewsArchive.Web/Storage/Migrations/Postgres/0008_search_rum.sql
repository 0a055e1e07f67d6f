-- The search index under RUM (Debian's postgresql-15-rum) when the server has it: RUM keeps each
-- lexeme's positions in the index, so a phrase (<->) is decided there, while GIN rechecks every
-- candidate row against its whole tsvector (detoasting tens of KB): on the 104k archive 特朗普
-- took 385 ms under GIN and 61 ms under RUM (docs/benchmarks.md). The extension is optional:
-- without it GIN stays and every search is answered the same, slower.
--
-- search_index_use(rum) makes the index what the setting asks (Archive:PostgresRum) and the server
-- allows: RUM when wanted and the extension exists or can be created here, else GIN. Idempotent
-- (a no-op when the index is already so); Database.Migrate calls it after the migrations at every
-- start and command, so a server that gets the package later gets the RUM index at the app's next
-- start. Creating the extension needs a superuser (rum is not a trusted extension): refused, the
-- index stays GIN and `status` says what to run. One transaction: CREATE INDEX holds off writes
-- (not reads) while it builds, and the old index goes at its end.
CREATE OR REPLACE FUNCTION search_index_use(rum boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    have_rum boolean;
    have_gin boolean;
BEGIN
    -- One caller at a time (a node starting while an ingest ends its bulk load): the second finds the first's indexes.
    PERFORM pg_advisory_xact_lock(1312902985);
    have_rum := EXISTS (SELECT FROM pg_indexes WHERE tablename = 'search_chunks' AND indexname = 'search_chunks_whole_rum');
    have_gin := EXISTS (SELECT FROM pg_indexes WHERE tablename = 'search_chunks' AND indexname = 'search_chunks_whole');
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
        DROP INDEX IF EXISTS search_chunks_whole, search_chunks_parts;
        RETURN 'rum';
    END IF;
    DROP INDEX IF EXISTS search_chunks_whole_rum, search_chunks_parts_rum;
    RETURN 'gin';
END $$;

-- The sort-key range as a filter on what the search index finds (sort_key + 0 is not indexable):
-- planned once for any range, these functions ANDed a bitmap of the primary key's whole range (all
-- 113k rows of the 104k archive, about 10 ms) with the index's matches on every call, two calls a
-- search. A range only narrows a date-filtered search, which now costs what the unfiltered one does.
CREATE OR REPLACE FUNCTION search_whole(q tsquery, lo bigint, hi bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE SET enable_seqscan = off
AS $$ SELECT sort_key FROM search_chunks WHERE whole AND tsv @@ q AND sort_key + 0 BETWEEN lo AND hi $$;
CREATE OR REPLACE FUNCTION search_parts(q tsquery, lo bigint, hi bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE SET enable_seqscan = off
AS $$ SELECT DISTINCT sort_key FROM search_chunks WHERE NOT whole AND tsv @@ q AND sort_key + 0 BETWEEN lo AND hi $$;
