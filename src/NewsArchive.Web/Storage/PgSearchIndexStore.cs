using Dapper;
using System.Text;
using Npgsql;

namespace NewsArchive.Web.Storage;

/// <summary>
/// The PostgreSQL twin of <see cref="SearchIndexStore"/>: search_chunks (the FTS5 index's tokens as
/// tsvector chunks, PgSearchIndexStore.Chunks.cs) and index_state. Reads take the same FTS5
/// expressions, translated to exact SQL (PgSearchIndexStore.Query.cs).
/// </summary>
public static partial class PgSearchIndexStore
{
    public static SearchIndexStore.State GetState(NpgsqlConnection c, NpgsqlTransaction? tx = null) =>
        c.QuerySingle<SearchIndexStore.State>("SELECT archive_id AS ArchiveId, applied_seq AS AppliedSeq FROM index_state WHERE id = 1", transaction: tx);

    public static void SetApplied(NpgsqlConnection c, long seq, NpgsqlTransaction tx) =>
        c.Execute("UPDATE index_state SET applied_seq = @seq WHERE id = 1", new { seq }, tx);

    /// <summary>
    /// Empties the index and marks it as this archive's, caught up to appliedSeq. DELETE, not
    /// TRUNCATE: TRUNCATE's exclusive lock would stop every search until the rebuild commits.
    /// </summary>
    public static void Reset(NpgsqlConnection c, string archiveId, long appliedSeq, NpgsqlTransaction tx)
    {
        c.Execute("DELETE FROM search_chunks", transaction: tx);
        c.Execute("UPDATE index_state SET archive_id = @archiveId, applied_seq = @appliedSeq WHERE id = 1", new { archiveId, appliedSeq }, tx);
    }

    /// <summary>One article's rows (use an <see cref="Inserter"/> for many).</summary>
    public static void Put(NpgsqlConnection c, long sortKey, SearchIndexStore.Row row, NpgsqlTransaction tx)
    {
        using var inserter = new Inserter(c, tx);
        inserter.Put(sortKey, row);
    }

    /// <summary>
    /// Writes articles' chunks a batch at a time: the keys' old rows deleted in one statement (an
    /// article changed in place keeps its key), then one COPY of the new rows, with no round trip
    /// per row. Rows are sent when the buffer fills and when the inserter is disposed, which must
    /// be before the commit.
    /// </summary>
    public sealed class Inserter(NpgsqlConnection c, NpgsqlTransaction tx) : IDisposable
    {
        private const int FlushChars = 8 << 20;
        private readonly StringBuilder _rows = new();
        private readonly List<long> _keys = [];

        public void Put(long sortKey, SearchIndexStore.Row r)
        {
            var (chunks, rank) = Chunks(r);
            for (var i = 0; i < chunks.Count; i++)
            {
                _rows.Append(sortKey).Append('\t').Append(i).Append('\t').Append(chunks.Count == 1 ? 't' : 'f').Append('\t');
                Field(chunks[i]);
                _rows.Append('\t');
                if (i == 0)
                {
                    Field(rank);
                }
                else
                {
                    _rows.Append(@"\N");
                }
                _rows.Append('\n');
            }
            _keys.Add(sortKey);
            if (_rows.Length >= FlushChars)
            {
                Flush();
            }
        }

        public void Dispose() => Flush();

        /// <summary>A value in COPY's text format: a backslash and the row and column separators escaped.</summary>
        private void Field(string value)
        {
            foreach (var ch in value)
            {
                _ = ch switch
                {
                    '\\' => _rows.Append(@"\\"),
                    '\t' => _rows.Append(@"\t"),
                    '\n' => _rows.Append(@"\n"),
                    '\r' => _rows.Append(@"\r"),
                    _ => _rows.Append(ch),
                };
            }
        }

        private void Flush()
        {
            if (_keys.Count == 0)
            {
                return;
            }
            c.Execute("DELETE FROM search_chunks WHERE sort_key = ANY(@keys)", new { keys = _keys.ToArray() }, tx);
            using (var copy = c.BeginTextImport("COPY search_chunks (sort_key, chunk, whole, tsv, rank) FROM STDIN"))
            {
                copy.Write(_rows);
            }
            _rows.Clear();
            _keys.Clear();
        }
    }

    public static void Delete(NpgsqlConnection c, long sortKey, NpgsqlTransaction tx) =>
        c.Execute("DELETE FROM search_chunks WHERE sort_key = @sortKey", new { sortKey }, tx);

    /// <summary>The index's version: the last queue entry it applied (any change to the index makes a new one).</summary>
    public static long Version(NpgsqlConnection c) =>
        c.ExecuteScalar<long>("SELECT applied_seq FROM index_state WHERE id = 1");

    /// <summary>How many articles in sort_key range [min, max] match the FTS5 expression m.</summary>
    public static long Count(NpgsqlConnection c, string m, long min, long max)
    {
        var (sql, args) = Matching(m, min, max);
        return Read<long>(c, $"SELECT count(*) FROM ({sql}) m", args)[0];
    }

    /// <summary>Outlet and sort_key of every matching article (the search page's outlet and period facets).</summary>
    public static List<(string Outlet, long SortKey)> OutletsOfMatches(NpgsqlConnection c, string m, long min, long max)
    {
        var (sql, args) = Matching(m, min, max);
        return Read<(string, long)>(c, $"SELECT a.outlet, a.sort_key FROM articles a JOIN ({sql}) m ON m.sort_key = a.sort_key", args);
    }

    /// <summary>A page of the matching articles' keys, newest first.</summary>
    public static List<long> Newest(NpgsqlConnection c, string m, long min, long max, int size, int offset)
    {
        var (sql, args) = Matching(m, min, max);
        args.Add("size", size);
        args.Add("offset", offset);
        return Read<long>(c, $"{sql} ORDER BY sort_key DESC LIMIT @size OFFSET @offset", args);
    }

    /// <summary>
    /// A page of the newest <paramref name="window"/> matches, by <see cref="RankOrder"/>.
    /// oneTerm is <see cref="SearchIndexStore"/>'s shortcut for its BM25; ts_rank has no IDF pass to skip.
    /// </summary>
    public static List<long> Ranked(NpgsqlConnection c, string m, long min, long max, bool oneTerm, int window, int size, int offset)
    {
        var (sql, args) = Matching(m, min, max);
        args.Add("window", window);
        args.Add("size", size);
        args.Add("offset", offset);
        return Read<long>(c, RankedSql($"{sql} ORDER BY sort_key DESC LIMIT @window", Parse(m), args) + " LIMIT @size OFFSET @offset", args);
    }

    /// <summary>The newest <paramref name="limit"/> matches, by <see cref="RankOrder"/> if ranked, else newest first.</summary>
    public static List<long> Candidates(NpgsqlConnection c, string m, long min, long max, bool ranked, bool oneTerm, long limit)
    {
        var (sql, args) = Matching(m, min, max);
        args.Add("limit", limit);
        var newest = $"{sql} ORDER BY sort_key DESC LIMIT @limit";
        return Read<long>(c, ranked ? RankedSql(newest, Parse(m), args) : newest, args);
    }

    /// <summary>The best <paramref name="count"/> by <see cref="RankOrder"/> among the newest <paramref name="window"/> matches but one article.</summary>
    public static List<long> RankedExcept(NpgsqlConnection c, string m, long self, int window, int count)
    {
        var (sql, args) = Matching(m, long.MinValue, long.MaxValue);
        args.Add("self", self);
        args.Add("window", window);
        args.Add("count", count);
        return Read<long>(c, RankedSql($"SELECT sort_key FROM ({sql}) x WHERE sort_key <> @self ORDER BY sort_key DESC LIMIT @window",
            Parse(m), args) + " LIMIT @count", args);
    }

    /// <summary>
    /// A subquery of the sort_key of every article matching m (ArticleStore's exclusions), with its
    /// parameters, named so that they cannot collide with the caller's.
    /// </summary>
    public static (string Sql, DynamicParameters Args) MatchingKeys(string m)
    {
        var args = new DynamicParameters(new { ix_lo = long.MinValue, ix_hi = long.MaxValue });
        return (new Translation(args, "ix_").Matching(Parse(m), "ix_lo", "ix_hi"), args);
    }

    /// <summary>
    /// Runs a read. Its caller stops it through StatementCancellation, not a token given to Npgsql:
    /// Npgsql sends its cancel request synchronously on the thread that fires the token, a timer's.
    /// </summary>
    private static List<T> Read<T>(NpgsqlConnection c, string sql, DynamicParameters args) => c.Query<T>(sql, args).AsList();

    private static (string Sql, DynamicParameters Args) Matching(string m, long min, long max)
    {
        var args = new DynamicParameters(new { min, max });
        return (new Translation(args, "q_").Matching(Parse(m), "min", "max"), args);
    }

    /// <summary>
    /// Orders the keys of <paramref name="keys"/> by <see cref="RankOrder"/>: ranking may differ from
    /// SQLite's BM25, but a title hit always comes first.
    /// </summary>
    private static string RankedSql(string keys, Node m, DynamicParameters args)
    {
        var t = new Translation(args, "r_");
        return $"""
            SELECT k.sort_key FROM ({keys}) k JOIN search_chunks s ON s.sort_key = k.sort_key AND s.chunk = 0
            ORDER BY {t.RankOrder(m)}, k.sort_key DESC
            """;
    }
}
