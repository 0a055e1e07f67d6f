using System.Data.Common;
using System.Text;
using Dapper;
using NewsArchive.Web.Model;
using Npgsql;

namespace NewsArchive.Web.Storage.Postgres;

/// <summary>
/// The search index in PostgreSQL: search_chunks, each article's tokens as tsvector chunks with a
/// one-letter prefix per column (PostgresSearchIndex.Chunks.cs), read through RUM when the server
/// has the extension, else GIN; a query is translated to tsquery and SQL over them
/// (PostgresSearchIndex.Query.cs), the same under either index. Nothing outside this class knows how
/// the index is stored or searched: another strategy changes only it (and a migration).
/// </summary>
/// <param name="rum">Whether to build the index with RUM when the server has it (Archive:PostgresRum).</param>
public sealed partial class PostgresSearchIndex(bool rum) : ISearchIndex
{
    /// <summary>
    /// RUM or GIN, as wanted and allowed (search_index_use: migrations 0008, 0009). Building it over a large
    /// archive takes minutes (about 5 for 104k articles), once, when the extension first appears.
    /// </summary>
    public void Prepare(DbConnection c) => c.Execute("SELECT search_index_use(@rum)", new { rum }, commandTimeout: 0);

    public SearchIndexKind Describe(DbConnection c)
    {
        var (inUse, installed, created) = c.QuerySingle<(bool, bool, bool)>("""
            SELECT EXISTS (SELECT FROM pg_indexes WHERE tablename = 'search_chunks' AND indexname = 'search_chunks_whole_rum'),
                   EXISTS (SELECT FROM pg_available_extensions WHERE name = 'rum'),
                   EXISTS (SELECT FROM pg_extension WHERE extname = 'rum')
            """);
        return inUse ? new("RUM", null) : new("GIN", (rum, installed, created) switch
        {
            (false, _, _) => SearchIndexKind.TurnedOff,
            (_, false, _) => SearchIndexKind.NotInstalled,
            (_, _, false) => SearchIndexKind.NotCreated,
            _ => SearchIndexKind.NotBuilt,
        });
    }

    /// <summary>
    /// DELETE, not TRUNCATE: TRUNCATE's exclusive lock would stop every search until the rebuild commits.
    /// </summary>
    public void Reset(DbConnection c, string archiveId, long appliedSeq, DbTransaction tx)
    {
        c.Execute("DELETE FROM search_chunks", transaction: tx);
        IndexStateStore.Own(c, archiveId, appliedSeq, tx);
    }

    public IIndexInserter Inserter(DbConnection c, DbTransaction tx) => new ChunkInserter((NpgsqlConnection)c, (NpgsqlTransaction)tx);

    /// <summary>
    /// Writes articles' chunks a batch at a time: the keys' old rows deleted in one statement (an
    /// article changed in place keeps its key), then one COPY of the new rows, with no round trip
    /// per row. Rows are sent when the buffer fills and when the inserter is disposed, which must
    /// be before the commit.
    /// </summary>
    private sealed class ChunkInserter(NpgsqlConnection c, NpgsqlTransaction tx) : IIndexInserter
    {
        private const int FlushChars = 8 << 20;
        private readonly StringBuilder _rows = new();
        private readonly List<long> _keys = [];

        public void Put(long sortKey, IndexRow r)
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

    public void Delete(DbConnection c, long sortKey, DbTransaction tx) =>
        c.Execute("DELETE FROM search_chunks WHERE sort_key = @sortKey", new { sortKey }, tx);

    /// <summary>
    /// A bulk load (into an empty archive, or a rebuild) is written without the search indexes,
    /// which are built once at its end (<see cref="Prepare"/>): RUM, updated a row at a time, made
    /// the dev corpus's ingest 4× slower (docs/benchmarks.md). Searches meanwhile scan the table,
    /// as the index is being filled anyway; a load that dies before its end gets its indexes back
    /// at the next ingest or start.
    /// </summary>
    public void SetMerging(DbConnection c, bool bulkLoad)
    {
        if (bulkLoad)
        {
            c.Execute("DROP INDEX IF EXISTS search_chunks_whole, search_chunks_parts, search_chunks_whole_rum, search_chunks_parts_rum, search_chunks_whole_newest");
        }
        else
        {
            Prepare(c);
        }
    }

    /// <summary>Fresh statistics: after a bulk load the planner still thinks the tables empty.</summary>
    public void Optimize(DbConnection c) => c.Execute("VACUUM ANALYZE search_chunks, articles", commandTimeout: 0);

    public long Count(DbConnection c, IndexQuery q, long min, long max)
    {
        var (sql, args) = Matching(q, min, max);
        return Read<long>(c, $"SELECT count(*) FROM ({sql}) m", args)[0];
    }

    public List<(string Outlet, long SortKey)> OutletsOfMatches(DbConnection c, IndexQuery q, long min, long max)
    {
        var (sql, args) = Matching(q, min, max);
        return Read<(string, long)>(c, $"SELECT a.outlet, a.sort_key FROM articles a JOIN ({sql}) m ON m.sort_key = a.sort_key", args);
    }

    public List<long> Newest(DbConnection c, IndexQuery q, long min, long max, int size, int offset)
    {
        var (sql, args) = NewestKeys(q, min, max, (long)size + offset);
        args.Add("size", size);
        args.Add("offset", offset);
        return Read<long>(c, $"SELECT sort_key FROM ({sql}) k ORDER BY sort_key DESC LIMIT @size OFFSET @offset", args);
    }

    /// <summary>By <see cref="Translation.RankOrder"/>; oneTerm is SQLite's shortcut for its BM25: ts_rank has no IDF pass to skip.</summary>
    public List<long> Ranked(DbConnection c, IndexQuery q, long min, long max, bool oneTerm, int window, int size, int offset)
    {
        var (sql, args) = NewestKeys(q, min, max, window);
        args.Add("size", size);
        args.Add("offset", offset);
        return Read<long>(c, RankedSql(sql, q, args) + " LIMIT @size OFFSET @offset", args);
    }

    public List<long> Candidates(DbConnection c, IndexQuery q, long min, long max, bool ranked, bool oneTerm, long limit)
    {
        var (sql, args) = NewestKeys(q, min, max, limit);
        return Read<long>(c, ranked ? RankedSql(sql, q, args) : sql, args);
    }

    public List<long> RankedExcept(DbConnection c, IndexQuery q, long self, int window, int count)
    {
        // One more than the window: self may be among the newest.
        var (sql, args) = NewestKeys(q, long.MinValue, long.MaxValue, window + 1L);
        args.Add("self", self);
        args.Add("window", window);
        args.Add("count", count);
        return Read<long>(c, RankedSql($"SELECT sort_key FROM ({sql}) x WHERE sort_key <> @self ORDER BY sort_key DESC LIMIT @window",
            q, args) + " LIMIT @count", args);
    }

    /// <summary>Its parameters are named so that they cannot collide with the caller's.</summary>
    public string MatchingKeys(IndexQuery q, DynamicParameters args)
    {
        args.AddDynamicParams(new { ix_lo = long.MinValue, ix_hi = long.MaxValue });
        return new Translation(args, "ix_").Matching(q, "ix_lo", "ix_hi");
    }

    /// <summary>
    /// Runs a read. Its caller stops it through StatementCancellation, not a token given to Npgsql:
    /// Npgsql sends its cancel request synchronously on the thread that fires the token, a timer's.
    /// </summary>
    private static List<T> Read<T>(DbConnection c, string sql, DynamicParameters args) => c.Query<T>(sql, args).AsList();

    private static (string Sql, DynamicParameters Args) Matching(IndexQuery q, long min, long max)
    {
        var args = new DynamicParameters(new { min, max });
        return (new Translation(args, "q_").Matching(q, "min", "max"), args);
    }

    /// <summary>The keys of the newest n matches, newest first.</summary>
    private static (string Sql, DynamicParameters Args) NewestKeys(IndexQuery q, long min, long max, long n)
    {
        var args = new DynamicParameters(new { min, max, n });
        return (new Translation(args, "q_").Newest(q, "min", "max", "n") + " ORDER BY sort_key DESC LIMIT @n", args);
    }

    /// <summary>
    /// Orders the keys of <paramref name="keys"/> by <see cref="Translation.RankOrder"/>: ranking may
    /// differ from SQLite's BM25, but a title hit always comes first.
    /// </summary>
    private static string RankedSql(string keys, IndexQuery q, DynamicParameters args) => $"""
        SELECT k.sort_key FROM ({keys}) k JOIN search_chunks s ON s.sort_key = k.sort_key AND s.chunk = 0
        ORDER BY {new Translation(args, "r_").RankOrder(q)}, k.sort_key DESC
        """;
}
