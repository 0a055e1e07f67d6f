using Dapper;
using Microsoft.Data.Sqlite;

namespace NewsArchive.Web.Storage;

/// <summary>One change the index has to take in: put (or remove) the article with this sort_key.</summary>
public sealed record IndexChange(long Seq, long SortKey, long Put)
{
    public bool IsPut => Put != 0;
}

/// <summary>The articles file's index_queue and archive_info tables (see Migrations/0002_index_file.sql).</summary>
public static class IndexQueueStore
{
    public static void Enqueue(SqliteConnection c, long sortKey, bool put, SqliteTransaction tx) =>
        c.Execute("INSERT INTO index_queue (sort_key, put) VALUES (@sortKey, @put)", new { sortKey, put }, tx);

    /// <summary>Queues every article, after the index was emptied.</summary>
    public static void EnqueueAll(SqliteConnection c, SqliteTransaction tx) =>
        c.Execute("INSERT INTO index_queue (sort_key, put) SELECT sort_key, 1 FROM articles ORDER BY sort_key", transaction: tx);

    public static List<IndexChange> After(SqliteConnection c, long seq, long upTo, int limit) =>
        c.Query<IndexChange>(
            "SELECT seq AS Seq, sort_key AS SortKey, put AS Put FROM index_queue WHERE seq > @seq AND seq <= @upTo ORDER BY seq LIMIT @limit",
            new { seq, upTo, limit }).AsList();

    /// <summary>The last seq ever handed out (pruning never lowers it).</summary>
    public static long LastSeq(SqliteConnection c, SqliteTransaction? tx = null) =>
        c.ExecuteScalar<long?>("SELECT seq FROM sqlite_sequence WHERE name = 'index_queue'", transaction: tx) ?? 0;

    public static void Prune(SqliteConnection c, long upTo, SqliteTransaction tx) =>
        c.Execute("DELETE FROM index_queue WHERE seq <= @upTo", new { upTo }, tx);

    public static string ArchiveId(SqliteConnection c) =>
        c.ExecuteScalar<string>("SELECT archive_id FROM archive_info WHERE id = 1")!;
}
