using System.Data.Common;
using Dapper;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>What became of a file the ingest read.</summary>
public sealed record SourceFile(string Path, long Size, long Mtime, string Hash, FileStatus Status, string? Reason, long? ArticleId);

/// <summary>What the walk needs of a file seen before; Crashes: how many ingests died while parsing it (Ingest/ParseJournal.cs).</summary>
public sealed record SeenFile(long Size, long Mtime, string Hash, long Crashes);

/// <summary>
/// A file's row as the deletions need it: which article it holds (null: none), and whether it can be
/// read again to store it. A class: Dapper converts SQLite's integer to bool property by property only.
/// </summary>
public sealed class HeldFile
{
    public string Path { get; init; } = "";
    public long? ArticleId { get; init; }
    public bool Holds { get; init; }
}

/// <summary>The source_files table: what the ingest has seen of each file.</summary>
public static class SourceFileStore
{
    // PostgreSQL's unique index is on md5(path): a path may be longer than a B-tree entry (Migrations/Postgres/0001).
    private static string PathKey(DbConnection c) => c.Pick("path", "md5(path)");

    public static SeenFile? Get(DbConnection c, string path, DbTransaction? tx = null) =>
        c.QuerySingleOrDefault<SeenFile>("SELECT size, mtime, hash, crashes FROM source_files WHERE path = @path", new { path }, tx);

    /// <summary>Records what became of the file (a finished parse leaves a crash count of 0).</summary>
    public static void Upsert(DbConnection c, SourceFile f, DbTransaction tx)
    {
        using var b = new IngestBatch(c, tx);
        Upsert(b, f);
    }

    public static void Upsert(IngestBatch b, SourceFile f) =>
        b.Execute($"""
            INSERT INTO source_files (path, size, mtime, hash, status, reason, article_id, crashes)
            VALUES (@Path, @Size, @Mtime, @Hash, @status, @Reason, @ArticleId, 0)
            ON CONFLICT ({PathKey(b.Connection)}) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, hash = excluded.hash,
                status = excluded.status, reason = excluded.reason, article_id = excluded.article_id, crashes = 0
            """, Arg.Of("Path", f.Path), Arg.Of("Size", f.Size), Arg.Of("Mtime", f.Mtime), Arg.Of("Hash", f.Hash), Arg.Of("status", Column(f.Status)),
            Arg.Of("Reason", f.Reason), Arg.Of("ArticleId", f.ArticleId));

    /// <summary>The status column's words: a stored file holds an "article", whether it was new or updated.</summary>
    private static string Column(FileStatus s) => s switch
    {
        FileStatus.New or FileStatus.Updated or FileStatus.StoredWithNotes => "article",
        FileStatus.Duplicate => "duplicate",
        FileStatus.Skipped => "skipped",
        FileStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, "an unchanged file keeps its row"),
    };

    /// <summary>
    /// One more ingest died while parsing the file; returns the new count. A file not seen before
    /// gets a row that no walk takes for up to date (size -1), so it is read again.
    /// </summary>
    public static long RecordCrash(DbConnection c, string path, DbTransaction tx) =>
        c.ExecuteScalar<long>($"""
            INSERT INTO source_files (path, size, mtime, hash, status, reason, article_id, crashes)
            VALUES (@path, -1, -1, '', 'rejected', 'the ingest died while parsing this file', NULL, 1)
            ON CONFLICT ({PathKey(c)}) DO UPDATE SET crashes = source_files.crashes + 1
            RETURNING crashes
            """, new { path }, tx);

    public static void Touch(DbConnection c, string path, long size, long mtime, DbTransaction tx) =>
        c.Execute("UPDATE source_files SET size = @size, mtime = @mtime WHERE path = @path", new { path, size, mtime }, tx);

    /// <summary>Rejects the file as it is now (size, mtime), keeping its crash count and any article it held before.</summary>
    public static void Quarantine(DbConnection c, string path, long size, long mtime, string reason, DbTransaction tx) =>
        c.Execute("UPDATE source_files SET size = @size, mtime = @mtime, status = 'rejected', reason = @reason WHERE path = @path",
            new { path, size, mtime, reason }, tx);

    /// <summary>
    /// Every file seen. Holds: its row names an article it stores or duplicates and no ingest died
    /// parsing it (a quarantined file keeps the article it held, but is not read again).
    /// </summary>
    public static List<HeldFile> All(DbConnection c, DbTransaction? tx = null) =>
        c.Query<HeldFile>("""
            SELECT path AS Path, article_id AS ArticleId,
                   article_id IS NOT NULL AND status IN ('article', 'duplicate') AND crashes = 0 AS Holds
            FROM source_files
            """, transaction: tx).AsList();

    /// <summary>Forgets a file that is gone from the folder.</summary>
    public static void Delete(DbConnection c, string path, DbTransaction tx) =>
        c.Execute("DELETE FROM source_files WHERE path = @path", new { path }, tx);

    /// <summary>The files of a merged article now hold the survivor.</summary>
    public static void Repoint(DbConnection c, long from, long to, DbTransaction tx) =>
        c.Execute("UPDATE source_files SET article_id = @to WHERE article_id = @from", new { from, to }, tx);
}
