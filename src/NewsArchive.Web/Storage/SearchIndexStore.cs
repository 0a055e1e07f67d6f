using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NewsArchive.Web.Storage;

/// <summary>
/// The index file: the search_index FTS5 table (rowid = the article's sort_key) and index_state.
/// On PostgreSQL every operation goes to its twin, <see cref="PgSearchIndexStore"/>, with the same meaning.
/// </summary>
public static class SearchIndexStore
{
    /// <summary>One article's row: the token streams of its folded title and body, and its facet tokens (Search/IndexDocument.cs).</summary>
    public sealed record Row(string TitleWords, string TitleGrams, string TitleChars, string BodyWords, string BodyGrams, string BodyChars, string Facets);

    public sealed class State
    {
        public string? ArchiveId { get; init; }
        public long AppliedSeq { get; init; }
    }

    public static State GetState(DbConnection c, DbTransaction? tx = null) =>
        c.QuerySingle<State>("SELECT archive_id AS ArchiveId, applied_seq AS AppliedSeq FROM index_state WHERE id = 1", transaction: tx);

    public static void SetApplied(DbConnection c, long seq, DbTransaction tx) =>
        c.Execute("UPDATE index_state SET applied_seq = @seq WHERE id = 1", new { seq }, tx);

    /// <summary>Empties the index and marks it as this archive's, caught up to appliedSeq.</summary>
    public static void Reset(DbConnection c, string archiveId, long appliedSeq, DbTransaction tx)
    {
        if (c is NpgsqlConnection pg)
        {
            PgSearchIndexStore.Reset(pg, archiveId, appliedSeq, (NpgsqlTransaction)tx);
            return;
        }
        c.Execute("INSERT INTO search_index (search_index) VALUES ('delete-all')", transaction: tx);
        c.Execute("UPDATE index_state SET archive_id = @archiveId, applied_seq = @appliedSeq WHERE id = 1", new { archiveId, appliedSeq }, tx);
    }

    /// <summary>
    /// Inserts documents through one prepared statement per transaction: Dapper would prepare the
    /// FTS5 insert again for every article, on the thread that bounds the ingest's speed.
    /// </summary>
    public sealed class Inserter : IDisposable
    {
        private readonly SqliteCommand _insert = null!;
        private readonly PgSearchIndexStore.Inserter? _pg;

        public Inserter(DbConnection c, DbTransaction tx)
        {
            if (c is NpgsqlConnection pg)
            {
                _pg = new PgSearchIndexStore.Inserter(pg, (NpgsqlTransaction)tx);
                return;
            }
            _insert = ((SqliteConnection)c).CreateCommand();
            _insert.Transaction = (SqliteTransaction)tx;
            _insert.CommandText = """
                INSERT INTO search_index (rowid, title_words, title_grams, title_chars, body_words, body_grams, body_chars, facets)
                VALUES ($sortKey, $tw, $tg, $tc, $bw, $bg, $bc, $facets)
                """;
            foreach (var name in new[] { "$sortKey", "$tw", "$tg", "$tc", "$bw", "$bg", "$bc", "$facets" })
            {
                _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            _insert.Prepare();
        }

        public void Put(long sortKey, Row r)
        {
            if (_pg is not null)
            {
                _pg.Put(sortKey, r);
                return;
            }
            var p = _insert.Parameters;
            p[0].Value = sortKey;
            p[1].Value = r.TitleWords;
            p[2].Value = r.TitleGrams;
            p[3].Value = r.TitleChars;
            p[4].Value = r.BodyWords;
            p[5].Value = r.BodyGrams;
            p[6].Value = r.BodyChars;
            p[7].Value = r.Facets;
            _insert.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _pg?.Dispose();
            _insert?.Dispose();
        }
    }

    /// <summary>
    /// FTS5's merge policy. Normally it merges once 16 segments of a level wait (index migration
    /// 0005). During a bulk load it does not merge until 1,000 wait, and the load ends with one merge
    /// of everything (<see cref="Optimize"/>): each posting is then rewritten once instead of about
    /// three times (docs/benchmarks.md). The settings persist in the index file.
    /// </summary>
    public static void SetMerging(DbConnection c, bool bulkLoad)
    {
        if (c.IsPostgres())
        {
            return;
        }
        c.Execute("INSERT INTO search_index (search_index, rank) VALUES ('automerge', @n)", new { n = bulkLoad ? 0 : 16 });
        c.Execute("INSERT INTO search_index (search_index, rank) VALUES ('crisismerge', @n)", new { n = bulkLoad ? 1000 : 16 });
    }

    /// <summary>
    /// Merges every segment into one (one transaction: a kill leaves the index as it was). On
    /// PostgreSQL, fresh statistics instead: after a bulk load the planner still thinks the tables empty.
    /// </summary>
    public static void Optimize(DbConnection c) =>
        c.Execute(c.Pick("INSERT INTO search_index (search_index) VALUES ('optimize')", "VACUUM ANALYZE search_chunks, articles"), commandTimeout: 0);

    public static void Delete(DbConnection c, long sortKey, DbTransaction tx)
    {
        if (c is NpgsqlConnection pg)
        {
            PgSearchIndexStore.Delete(pg, sortKey, (NpgsqlTransaction)tx);
            return;
        }
        c.Execute("DELETE FROM search_index WHERE rowid = @sortKey", new { sortKey }, tx);
    }

    // The reads below run on reader connections (Database.Open), where the index file is the schema "search".

    /// <summary>The index's version: the last queue entry it applied (any change to the index makes a new one).</summary>
    public static long Version(DbConnection c) =>
        c.ExecuteScalar<long>($"SELECT applied_seq FROM {c.Pick("search.", "")}index_state WHERE id = 1");

    /// <summary>A subquery of the sort keys of the articles that match FTS5 expression x; its parameters are added to <paramref name="args"/>.</summary>
    public static string MatchingKeys(DbConnection c, string x, DynamicParameters args)
    {
        if (c.IsPostgres())
        {
            var (sql, own) = PgSearchIndexStore.MatchingKeys(x);
            args.AddDynamicParams(own);
            return sql;
        }
        args.Add("x", x);
        return "SELECT rowid FROM search_index WHERE search_index MATCH @x";
    }

    private const string Matching = "search_index MATCH @m AND rowid BETWEEN @min AND @max";

    /// <summary>How many rows in sort_key range [min, max] match the FTS5 expression m.</summary>
    public static long Count(DbConnection c, string m, long min, long max) => c is NpgsqlConnection pg
        ? PgSearchIndexStore.Count(pg, m, min, max)
        : c.ExecuteScalar<long>($"SELECT count(*) FROM search_index WHERE {Matching}", new { m, min, max });

    /// <summary>
    /// Outlet and sort_key of every matching row (trends' counts, the search page's outlet and period
    /// facets), from the index articles_outlet_by_sort_key alone (migration 0012): about 5× faster
    /// than from the rows for a common term on 100k articles (docs/benchmarks.md).
    /// </summary>
    public static List<(string Outlet, long SortKey)> OutletsOfMatches(DbConnection c, string m, long min, long max) => c is NpgsqlConnection pg
        ? PgSearchIndexStore.OutletsOfMatches(pg, m, min, max)
        : c.Query<(string, long)>("""
            SELECT a.outlet, a.sort_key FROM search_index JOIN articles a INDEXED BY articles_outlet_by_sort_key ON a.sort_key = search_index.rowid
            WHERE search_index MATCH @m AND search_index.rowid BETWEEN @min AND @max
            """, new { m, min, max }).AsList();

    /// <summary>A page of the matching rows' keys, newest first.</summary>
    public static List<long> Newest(DbConnection c, string m, long min, long max, int size, int offset) => c is NpgsqlConnection pg
        ? PgSearchIndexStore.Newest(pg, m, min, max, size, offset)
        : c.Query<long>($"SELECT rowid FROM search_index WHERE {Matching} ORDER BY rowid DESC LIMIT @size OFFSET @offset",
            new { m, min, max, size, offset }).AsList();

    /// <summary>A page of the newest <paramref name="window"/> matches, by <see cref="Rank"/>.</summary>
    public static List<long> Ranked(DbConnection c, string m, long min, long max, bool oneTerm, int window, int size, int offset) => c is NpgsqlConnection pg
        ? PgSearchIndexStore.Ranked(pg, m, min, max, oneTerm, window, size, offset)
        : c.Query<long>($"""
            SELECT rowid FROM (SELECT rowid, {Rank(oneTerm)} AS score FROM search_index WHERE {Matching} ORDER BY rowid DESC LIMIT @window)
            ORDER BY score LIMIT @size OFFSET @offset
            """, new { m, min, max, window, size, offset }).AsList();

    /// <summary>The newest <paramref name="limit"/> matches, by <see cref="Rank"/> if ranked, else newest first.</summary>
    public static List<long> Candidates(DbConnection c, string m, long min, long max, bool ranked, bool oneTerm, long limit) => c is NpgsqlConnection pg
        ? PgSearchIndexStore.Candidates(pg, m, min, max, ranked, oneTerm, limit)
        : c.Query<long>($"""
            SELECT rowid FROM (SELECT rowid, {(ranked ? Rank(oneTerm) : "0")} AS score FROM search_index
                               WHERE {Matching} ORDER BY rowid DESC LIMIT @limit)
            ORDER BY score, rowid DESC
            """, new { m, min, max, limit }).AsList();

    /// <summary>The best <paramref name="count"/> by <see cref="Rank"/> among the newest <paramref name="window"/> matches but one row.</summary>
    public static List<long> RankedExcept(DbConnection c, string m, long self, int window, int count) => c is NpgsqlConnection pg
        ? PgSearchIndexStore.RankedExcept(pg, m, self, window, count)
        : c.Query<long>($"""
            SELECT rowid FROM (SELECT rowid, {Rank(oneTerm: false)} AS score FROM search_index WHERE search_index MATCH @m AND rowid != @self
                               ORDER BY rowid DESC LIMIT @window)
            ORDER BY score LIMIT @count
            """, new { m, self, count, window }).AsList();

    /// <summary>BM25 with the title columns weighted 8× the body (see <see cref="Bm25"/> for oneTerm).</summary>
    private static string Rank(bool oneTerm) => $"{Bm25.Name}(search_index, {(oneTerm ? 1 : 0)}, 8, 8, 8, 1, 1, 1, 0)";
}
