using Dapper;
using Microsoft.Data.Sqlite;

namespace NewsArchive.Web.Storage;

public sealed record SourceFile(string Path, long Size, long Mtime, string Hash, string Status, string? Reason, long? ArticleId);

/// <summary>The source_files table: what the ingest has seen of each file.</summary>
public static class SourceFileStore
{
    public static SourceFile? Get(SqliteConnection c, string path, SqliteTransaction? tx = null) =>
        c.QuerySingleOrDefault<SourceFile>(
            "SELECT path, size, mtime, hash, status, reason, article_id AS ArticleId FROM source_files WHERE path = @path",
            new { path }, tx);

    public static void Upsert(SqliteConnection c, SourceFile f, SqliteTransaction tx) =>
        c.Execute("""
            INSERT INTO source_files (path, size, mtime, hash, status, reason, article_id)
            VALUES (@Path, @Size, @Mtime, @Hash, @Status, @Reason, @ArticleId)
            ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, hash = excluded.hash,
                status = excluded.status, reason = excluded.reason, article_id = excluded.article_id
            """, f, tx);

    public static void Touch(SqliteConnection c, string path, long size, long mtime, SqliteTransaction tx) =>
        c.Execute("UPDATE source_files SET size = @size, mtime = @mtime WHERE path = @path", new { path, size, mtime }, tx);
}
