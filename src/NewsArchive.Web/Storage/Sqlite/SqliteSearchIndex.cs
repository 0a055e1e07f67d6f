using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage.Sqlite;

/// <summary>
/// The index file's search_index FTS5 table (rowid = the article's sort_key, a column per
/// <see cref="IndexColumns"/> stream); queries are rendered to FTS5 expressions (<see cref="Fts5"/>).
/// </summary>
public sealed class SqliteSearchIndex : ISearchIndex
{
    private static readonly string[] ColumnNames = ["title_words", "title_grams", "title_chars", "body_words", "body_grams", "body_chars", "facets"];

    public void Reset(DbConnection c, string archiveId, long appliedSeq, DbTransaction tx)
    {
        c.Execute("INSERT INTO search_index (search_index) VALUES ('delete-all')", transaction: tx);
        IndexStateStore.Own(c, archiveId, appliedSeq, tx);
    }

    public IIndexInserter Inserter(DbConnection c, DbTransaction tx) => new FtsInserter((SqliteConnection)c, (SqliteTransaction)tx);

    /// <summary>
    /// Inserts through one prepared statement per transaction: Dapper would prepare the FTS5
    /// insert again for every article, on the thread that bounds the ingest's speed.
    /// </summary>
    private sealed class FtsInserter : IIndexInserter
    {
        private readonly SqliteCommand _insert;

        public FtsInserter(SqliteConnection c, SqliteTransaction tx)
        {
            _insert = c.CreateCommand();
            _insert.Transaction = tx;
            string[] columns = ["rowid", .. ColumnNames];
            _insert.CommandText = $"INSERT INTO search_index ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(n => "$" + n))})";
            foreach (var name in columns)
            {
                _insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + name });
            }
            _insert.Prepare();
        }

        public void Put(long sortKey, IndexRow r)
        {
            _insert.Parameters[0].Value = sortKey;
            var streams = r.Streams;
            for (var i = 0; i < streams.Length; i++)
            {
                _insert.Parameters[i + 1].Value = streams[i];
            }
            _insert.ExecuteNonQuery();
        }

        public void Dispose() => _insert.Dispose();
    }

    public void Delete(DbConnection c, long sortKey, DbTransaction tx) =>
        c.Execute("DELETE FROM search_index WHERE rowid = @sortKey", new { sortKey }, tx);

    /// <summary>
    /// FTS5's merge policy. Normally it merges once 16 segments of a level wait (index migration
    /// 0005). During a bulk load it does not merge until 1,000 wait, and the load ends with one merge
    /// of everything (<see cref="Optimize"/>): each posting is then rewritten once instead of about
    /// three times (docs/benchmarks.md). The settings persist in the index file.
    /// </summary>
    public void SetMerging(DbConnection c, bool bulkLoad)
    {
        c.Execute("INSERT INTO search_index (search_index, rank) VALUES ('automerge', @n)", new { n = bulkLoad ? 0 : 16 });
        c.Execute("INSERT INTO search_index (search_index, rank) VALUES ('crisismerge', @n)", new { n = bulkLoad ? 1000 : 16 });
    }

    /// <summary>Its migrations are the whole of it (Migrations/Index).</summary>
    public void Prepare(DbConnection c)
    {
    }

    public SearchIndexKind Describe(DbConnection c) => new("FTS5", null);

    /// <summary>Merges every segment into one (one transaction: a kill leaves the index as it was).</summary>
    public void Optimize(DbConnection c) => c.Execute("INSERT INTO search_index (search_index) VALUES ('optimize')", commandTimeout: 0);

    // The reads below run on reader connections (Database.Open), where the index file is the schema "search".

    private const string Matching = "search_index MATCH @m AND rowid BETWEEN @min AND @max";

    public long Count(DbConnection c, IndexQuery q, long min, long max) =>
        c.ExecuteScalar<long>($"SELECT count(*) FROM search_index WHERE {Matching}", new { m = Fts5(q), min, max });

    // From the index articles_outlet_by_sort_key alone (migration 0012), named because the planner
    // would take sort_key's own index and read the rows: about 5× faster for a common term on 100k
    // articles (docs/benchmarks.md).
    public List<(string Outlet, long SortKey)> OutletsOfMatches(DbConnection c, IndexQuery q, long min, long max) => c.Query<(string, long)>("""
        SELECT a.outlet, a.sort_key FROM search_index JOIN articles a INDEXED BY articles_outlet_by_sort_key ON a.sort_key = search_index.rowid
        WHERE search_index MATCH @m AND search_index.rowid BETWEEN @min AND @max
        """, new { m = Fts5(q), min, max }).AsList();

    public List<long> Newest(DbConnection c, IndexQuery q, long min, long max, int size, int offset) =>
        c.Query<long>($"SELECT rowid FROM search_index WHERE {Matching} ORDER BY rowid DESC LIMIT @size OFFSET @offset",
            new { m = Fts5(q), min, max, size, offset }).AsList();

    public List<long> Ranked(DbConnection c, IndexQuery q, long min, long max, bool oneTerm, int window, int size, int offset) => c.Query<long>($"""
        SELECT rowid FROM (SELECT rowid, {Rank(oneTerm)} AS score FROM search_index WHERE {Matching} ORDER BY rowid DESC LIMIT @window)
        ORDER BY score LIMIT @size OFFSET @offset
        """, new { m = Fts5(q), min, max, window, size, offset }).AsList();

    public List<long> Candidates(DbConnection c, IndexQuery q, long min, long max, bool ranked, bool oneTerm, long limit) => c.Query<long>($"""
        SELECT rowid FROM (SELECT rowid, {(ranked ? Rank(oneTerm) : "0")} AS score FROM search_index
                           WHERE {Matching} ORDER BY rowid DESC LIMIT @limit)
        ORDER BY score, rowid DESC
        """, new { m = Fts5(q), min, max, limit }).AsList();

    public List<long> RankedExcept(DbConnection c, IndexQuery q, long self, int window, int count) => c.Query<long>($"""
        SELECT rowid FROM (SELECT rowid, {Rank(oneTerm: false)} AS score FROM search_index WHERE search_index MATCH @m AND rowid != @self
                           ORDER BY rowid DESC LIMIT @window)
        ORDER BY score LIMIT @count
        """, new { m = Fts5(q), self, count, window }).AsList();

    public string MatchingKeys(IndexQuery q, DynamicParameters args)
    {
        args.Add("x", Fts5(q));
        return "SELECT rowid FROM search_index WHERE search_index MATCH @x";
    }

    /// <summary>BM25 with the title columns weighted 8× the body (see <see cref="Bm25"/> for oneTerm).</summary>
    private static string Rank(bool oneTerm) => $"{Bm25.Name}(search_index, {(oneTerm ? 1 : 0)}, 8, 8, 8, 1, 1, 1, 0)";

    /// <summary>A query as an FTS5 expression: a phrase in its columns, AND, OR and NOT, parenthesized where they nest.</summary>
    public static string Fts5(IndexQuery q) => q switch
    {
        IndexQuery.Phrase p => Columns(p) + Quote(string.Join(' ', p.Tokens)),
        IndexQuery.AllOf a => string.Join(" AND ", a.Parts.Select(Nested)),
        IndexQuery.AnyOf a => string.Join(" OR ", a.Parts.Select(Nested)),
        IndexQuery.Except e => Nested(e.Left) + " NOT " + Nested(e.Right),
        _ => throw new ArgumentOutOfRangeException(nameof(q)),
    };

    private static string Nested(IndexQuery q) => q is IndexQuery.Phrase ? Fts5(q) : "(" + Fts5(q) + ")";

    /// <summary>
    /// The column filter of a phrase. Only the gram columns hold a token of two characters with a
    /// non-ASCII one (words are ASCII, the other tokens one character or three), so a gram phrase
    /// with one needs no filter, which would make FTS5 read every match's positions: the count of a
    /// common pair takes half the time without it (docs/benchmarks.md).
    /// </summary>
    private static string Columns(IndexQuery.Phrase p)
    {
        if (p.Columns == IndexColumns.Grams && p.Tokens.Any(t => t.EnumerateRunes().Count() == 2 && t.Any(ch => ch >= 0x80)))
        {
            return "";
        }
        var names = ColumnNames.Where((_, i) => p.Columns.HasFlag((IndexColumns)(1 << i))).ToList();
        return names.Count == 1 ? names[0] + " : " : "{" + string.Join(' ', names) + "} : ";
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}
