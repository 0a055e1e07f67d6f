using System.Data.Common;
using Dapper;

namespace NewsArchive.Web.Storage;

public sealed record Takedown(string Permalink, string Url, string SourcePath, string? Reason, long TakenAt);

/// <summary>
/// The takedowns table. Its triggers (migration 0006) do the removal: inserting a row deletes the
/// article and queues its index removal; while the row exists an ingest cannot store it again, nor
/// (migration 0009) a new article at a URL with one of its URL keys or with one of its content
/// hashes (takedown_identity, written by <see cref="Block"/>).
/// </summary>
public static class TakedownStore
{
    private const string Columns = "permalink AS Permalink, url AS Url, source_path AS SourcePath, reason AS Reason, taken_at AS TakenAt";

    public static void Add(DbConnection c, Takedown t, DbTransaction tx) =>
        c.Execute("INSERT INTO takedowns (permalink, url, source_path, reason, taken_at) VALUES (@Permalink, @Url, @SourcePath, @Reason, @TakenAt)", t, tx);

    /// <summary>The takedown of this permalink or original URL, if any.</summary>
    public static Takedown? Find(DbConnection c, string permalinkOrUrl, DbTransaction? tx = null) =>
        c.QuerySingleOrDefault<Takedown>($"SELECT {Columns} FROM takedowns WHERE permalink = @k OR url = @k", new { k = permalinkOrUrl }, tx);

    /// <summary>The takedown that blocks this URL key, if any.</summary>
    public static Takedown? ByKey(DbConnection c, string urlKey, DbTransaction? tx = null) =>
        c.QueryFirstOrDefault<Takedown>(
            $"SELECT {Columns} FROM takedowns WHERE permalink IN (SELECT permalink FROM takedown_identity WHERE kind = 'url' AND value = @urlKey)",
            new { urlKey }, tx);

    /// <summary>Keeps out, with the takedown of this permalink, new articles at these URL keys or with these content hashes.</summary>
    public static void Block(DbConnection c, string permalink, IEnumerable<string> urlKeys, IEnumerable<string> contentHashes, DbTransaction tx) =>
        c.Execute("INSERT INTO takedown_identity (kind, value, permalink) VALUES (@Kind, @Value, @permalink) ON CONFLICT DO NOTHING",
            urlKeys.Select(k => new { Kind = "url", Value = k, permalink })
                .Concat(contentHashes.Select(h => new { Kind = "content", Value = h, permalink })), tx);

    /// <summary>The texts of an article and of its earlier revisions, with their content hashes (what a takedown of it blocks).</summary>
    public static List<(string ContentHash, string Title, string Text)> Contents(DbConnection c, long articleId, DbTransaction tx) =>
        c.Query<(string, string, string)>("""
            SELECT content_hash, title, text FROM articles WHERE id = @articleId AND content_hash IS NOT NULL
            UNION ALL SELECT content_hash, title, text FROM article_revisions WHERE article_id = @articleId
            """, new { articleId }, tx).AsList();

    /// <summary>The files whose articles this takedown kept out (their records point to no article): what a restore reads again.</summary>
    public static List<string> BlockedFiles(DbConnection c, string permalink, DbTransaction tx) =>
        c.Query<string>("""
            SELECT DISTINCT f.path FROM source_files f
            JOIN article_aliases x ON x.article_id = f.article_id
            JOIN takedown_identity t ON t.permalink = @permalink
                AND ((t.kind = 'url' AND t.value = x.url_key) OR (t.kind = 'content' AND t.value = x.content_hash))
            WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = f.article_id)
            """, new { permalink }, tx).AsList();

    public static void Remove(DbConnection c, string permalink, DbTransaction tx) =>
        c.Execute("DELETE FROM takedowns WHERE permalink = @permalink", new { permalink }, tx);

    public static List<Takedown> All(DbConnection c) =>
        c.Query<Takedown>($"SELECT {Columns} FROM takedowns ORDER BY taken_at DESC").AsList();
}
