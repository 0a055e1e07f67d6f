using Dapper;
using Microsoft.Data.Sqlite;

namespace NewsArchive.Web.Storage;

/// <summary>A file the ingest has seen; Crashes: how many ingests died while parsing it (Ingest/ParseJournal.cs).</summary>
public sealed record SourceFile(string Path, long Size, long Mtime, string Hash, string Status, string? Reason, long? ArticleId, long Crashes = 0);

/// <summary>The source_files table: what the ingest has seen of each file.</summary>
public static class SourceFileStore
{
    public static SourceFile? Get(SqliteConnection c, string path, SqliteTransaction? tx = null) =>
        c.QuerySingleOrDefault<SourceFile>(
            "SELECT path, size, mtime, hash, status, reason, article_id AS ArticleId, crashes FROM source_files WHERE path = @path",
            new { path }, tx);

    /// <summary>Records what became of the file (a finished parse leaves a crash count of 0).</summary>
    public static void Upsert(SqliteConnection c, SourceFile f, SqliteTransaction tx) =>
        c.Execute("""
            INSERT INTO source_files (path, size, mtime, hash, status, reason, article_id, crashes)
            VALUES (@Path, @Size, @Mtime, @Hash, @Status, @Reason, @ArticleId, @Crashes)
            ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, hash = excluded.hash,
                status = excluded.status, reason = excluded.reason, article_id = excluded.article_id, crashes = excluded.crashes
            """, f, tx);

    /// <summary>
    /// One more ingest died while parsing the file; returns the new count. A file not seen before
    /// gets a row that no walk takes for up to date (size -1), so it is read again.
    /// </summary>
    public static long RecordCrash(SqliteConnection c, string path, SqliteTransaction tx) =>
        c.ExecuteScalar<long>("""
            INSERT INTO source_files (path, size, mtime, hash, status, reason, article_id, crashes)
            VALUES (@path, -1, -1, '', 'rejected', 'the ingest died while parsing this file', NULL, 1)
            ON CONFLICT (path) DO UPDATE SET crashes = crashes + 1
            RETURNING crashes
            """, new { path }, tx);

    public static void Touch(SqliteConnection c, string path, long size, long mtime, SqliteTransaction tx) =>
        c.Execute("UPDATE source_files SET size = @size, mtime = @mtime WHERE path = @path", new { path, size, mtime }, tx);

    /// <summary>Rejects the file as it is now (size, mtime), keeping its crash count and any article it held before.</summary>
    public static void Quarantine(SqliteConnection c, string path, long size, long mtime, string reason, SqliteTransaction tx) =>
        c.Execute("UPDATE source_files SET size = @size, mtime = @mtime, status = 'rejected', reason = @reason WHERE path = @path",
            new { path, size, mtime, reason }, tx);
}
