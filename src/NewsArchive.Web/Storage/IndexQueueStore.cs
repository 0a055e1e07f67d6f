using System.Data.Common;
using Dapper;

namespace NewsArchive.Web.Storage;

/// <summary>One change the index has to take in: put (or remove) the article with this sort_key.</summary>
public sealed record IndexChange(long Seq, long SortKey, long Put)
{
    public bool IsPut => Put != 0;
}

/// <summary>The articles file's index_queue and archive_info tables (see Migrations/0002_index_file.sql).</summary>
public static class IndexQueueStore
{
    public static void Enqueue(DbConnection c, long sortKey, bool put, DbTransaction tx)
    {
        using var b = new IngestBatch(c, tx);
        Enqueue(b, sortKey, put);
    }

    public static void Enqueue(IngestBatch b, long sortKey, bool put) =>
        b.Execute(Ordered(b.Connection) + $"{b.Connection.InsertUndoneByCaller()} index_queue (sort_key, put) VALUES (@sortKey, @put)", Arg.Of("sortKey", sortKey), Arg.Of("put", put ? 1 : 0));

    /// <summary>Queues every article, after the index was emptied.</summary>
    public static void EnqueueAll(DbConnection c, DbTransaction tx) =>
        c.Execute(Ordered(c) + "INSERT INTO index_queue (sort_key, put) SELECT sort_key, 1 FROM articles ORDER BY sort_key", transaction: tx);

    /// <summary>
    /// On PostgreSQL, writers of the queue take turns until they commit (a transaction-scoped
    /// advisory lock, also taken by the takedown trigger): the indexer reads the queue in seq order,
    /// so a seq must never commit after a higher one, which concurrent sequences allow. SQLite has
    /// one writer at a time anyway.
    /// </summary>
    private static string Ordered(DbConnection c) => c.Pick("", "SELECT pg_advisory_xact_lock(7402); ");

    public static List<IndexChange> After(DbConnection c, long seq, long upTo, int limit) =>
        c.Query<IndexChange>(
            "SELECT seq AS Seq, sort_key AS SortKey, put AS Put FROM index_queue WHERE seq > @seq AND seq <= @upTo ORDER BY seq LIMIT @limit",
            new { seq, upTo, limit }).AsList();

    /// <summary>
    /// The last seq committed (pruning never lowers it). On PostgreSQL not the sequence, which runs
    /// ahead of what has committed and, on a replica, ahead of what the primary handed out (it is
    /// logged 32 values at a time): the newest queued entry, or the one the index applied last,
    /// since pruning removes only entries up to that one.
    /// </summary>
    public static long LastSeq(DbConnection c, DbTransaction? tx = null) =>
        c.ExecuteScalar<long>("SELECT " + LastSeqOf(c), transaction: tx);

    private static string LastSeqOf(DbConnection c) => c.Pick(
        "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'index_queue'), 0)",
        "coalesce(greatest((SELECT max(seq) FROM index_queue), (SELECT applied_seq FROM index_state WHERE id = 1)), 0)");

    public static void Prune(DbConnection c, long upTo, DbTransaction tx) =>
        c.Execute("DELETE FROM index_queue WHERE seq <= @upTo", new { upTo }, tx);

    /// <summary>
    /// What a reader's pages depend on, in one query on a connection with the index attached: the
    /// archive, the last change queued and the last one the index applied. With the applied seq in
    /// it, a page rendered while the index lagged the articles never matches the state once it caught up.
    /// </summary>
    public static string ReaderState(DbConnection c) =>
        c.ExecuteScalar<string>(
            $"SELECT (SELECT archive_id FROM archive_info WHERE id = 1) || '-' || {LastSeqOf(c)} || '-' || (SELECT applied_seq FROM {c.Pick("search.", "")}index_state WHERE id = 1)")!;

    public static string ArchiveId(DbConnection c) =>
        c.ExecuteScalar<string>("SELECT archive_id FROM archive_info WHERE id = 1")!;
}
