using Dapper;
using Microsoft.Data.Sqlite;
using NewsArchive.Web.Search;

namespace NewsArchive.Web.Storage;

/// <summary>The index file: the search_index FTS5 table (rowid = the article's sort_key) and index_state.</summary>
public static class SearchIndexStore
{
    public sealed class State
    {
        public string? ArchiveId { get; init; }
        public long AppliedSeq { get; init; }
    }

    public static State GetState(SqliteConnection c, SqliteTransaction? tx = null) =>
        c.QuerySingle<State>("SELECT archive_id AS ArchiveId, applied_seq AS AppliedSeq FROM index_state WHERE id = 1", transaction: tx);

    public static void SetApplied(SqliteConnection c, long seq, SqliteTransaction tx) =>
        c.Execute("UPDATE index_state SET applied_seq = @seq WHERE id = 1", new { seq }, tx);

    /// <summary>Empties the index and marks it as this archive's, caught up to appliedSeq.</summary>
    public static void Reset(SqliteConnection c, string archiveId, long appliedSeq, SqliteTransaction tx)
    {
        c.Execute("INSERT INTO search_index (search_index) VALUES ('delete-all')", transaction: tx);
        c.Execute("UPDATE index_state SET archive_id = @archiveId, applied_seq = @appliedSeq WHERE id = 1", new { archiveId, appliedSeq }, tx);
    }

    /// <summary>
    /// Inserts documents through one prepared statement per transaction: Dapper would prepare the
    /// FTS5 insert again for every article, on the thread that bounds the ingest's speed.
    /// </summary>
    public sealed class Inserter : IDisposable
    {
        private readonly SqliteCommand _insert;

        public Inserter(SqliteConnection c, SqliteTransaction tx)
        {
            _insert = c.CreateCommand();
            _insert.Transaction = tx;
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

        public void Put(long sortKey, IndexDocument d)
        {
            var p = _insert.Parameters;
            p[0].Value = sortKey;
            p[1].Value = d.Title.Words;
            p[2].Value = d.Title.Grams;
            p[3].Value = d.Title.Unigrams;
            p[4].Value = d.Body.Words;
            p[5].Value = d.Body.Grams;
            p[6].Value = d.Body.Unigrams;
            p[7].Value = d.FacetTokens;
            _insert.ExecuteNonQuery();
        }

        public void Dispose() => _insert.Dispose();
    }

    /// <summary>
    /// FTS5's merge policy. Normally it merges once 16 segments of a level wait (index migration
    /// 0005). During a bulk load it does not merge until 1,000 wait, and the load ends with one merge
    /// of everything (<see cref="Optimize"/>): each posting is then rewritten once instead of about
    /// three times (docs/benchmarks.md). The settings persist in the index file.
    /// </summary>
    public static void SetMerging(SqliteConnection c, bool bulkLoad)
    {
        c.Execute("INSERT INTO search_index (search_index, rank) VALUES ('automerge', @n)", new { n = bulkLoad ? 0 : 16 });
        c.Execute("INSERT INTO search_index (search_index, rank) VALUES ('crisismerge', @n)", new { n = bulkLoad ? 1000 : 16 });
    }

    /// <summary>Merges every segment into one (one transaction: a kill leaves the index as it was).</summary>
    public static void Optimize(SqliteConnection c) =>
        c.Execute("INSERT INTO search_index (search_index) VALUES ('optimize')", commandTimeout: 0);

    public static void Delete(SqliteConnection c, long sortKey, SqliteTransaction tx) =>
        c.Execute("DELETE FROM search_index WHERE rowid = @sortKey", new { sortKey }, tx);
}
