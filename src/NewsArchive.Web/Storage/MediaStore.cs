using System.Data.Common;
using Dapper;

namespace NewsArchive.Web.Storage;

/// <summary>One row of the media table claimed by a fetcher.</summary>
public sealed record MediaClaim(long Id, string Url, long Attempts);

/// <summary>A row of the media table as `media` and the tests show it.</summary>
public sealed record MediaRow(long Id, string Url, string State, string? Hash, string? ContentType, long? Size, long Attempts, string? LastError, long? NextAttempt);

/// <summary>The media table (Migrations/0004_media.sql): the fetch queue and what it stored.</summary>
public static class MediaStore
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    // PostgreSQL's unique index is on md5(url): an image URL may be longer than a B-tree entry.
    private static string UrlKey(DbConnection c) => c.Pick("url", "md5(url)");

    /// <summary>Queues URLs not seen before; in the transaction of the article that names them.</summary>
    public static void Enqueue(DbConnection c, IEnumerable<string> urls, DbTransaction? tx = null)
    {
        using var b = new IngestBatch(c, tx);
        Enqueue(b, urls);
    }

    public static void Enqueue(IngestBatch b, IEnumerable<string> urls)
    {
        var now = Now;
        foreach (var url in urls)
        {
            b.Execute($"INSERT INTO media (url, queued_at, updated_at) VALUES (@url, @now, @now) ON CONFLICT ({UrlKey(b.Connection)}) DO NOTHING",
                Arg.Of("url", url), Arg.Of("now", now));
        }
    }

    // A row a fetch may take: queued, or failed transiently and past its backoff. A permanent failure,
    // and one that used up its attempts, has no next_attempt (NULL <= now is not true): only
    // `media --retry` queues it again.
    private const string Due = "(state = 'queued' OR (state = 'failed' AND next_attempt <= @now))";

    /// <summary>Claims the oldest row due; null when none is.</summary>
    // On PostgreSQL two fetchers' claims run at once: the row is locked by the first (the second
    // skips it), and the state is checked again on the row the update finds.
    public static MediaClaim? ClaimNext(DbConnection c) => c.QuerySingleOrDefault<MediaClaim>(
        $"""
        UPDATE media SET state = 'fetching', attempts = attempts + 1, updated_at = @now
        WHERE id = (SELECT id FROM media WHERE {Due} ORDER BY id LIMIT 1 {c.Pick("", "FOR UPDATE SKIP LOCKED")})
          AND {Due}
        RETURNING id AS Id, url AS Url, attempts AS Attempts
        """, new { now = Now });

    /// <summary>
    /// Claims one URL for a fetch now (a reader's load) when it is due, as the worker would; null when
    /// it is stored, being fetched, in backoff or failed for good.
    /// </summary>
    public static MediaClaim? Claim(DbConnection c, string url) => c.QuerySingleOrDefault<MediaClaim>(
        $"""
        UPDATE media SET state = 'fetching', attempts = attempts + 1, updated_at = @now
        WHERE url = @url AND {Due}
        RETURNING id AS Id, url AS Url, attempts AS Attempts
        """, new { url, now = Now });

    /// <summary>A claim given back before anything was sent (the host's budget was spent): queued again, the attempt not counted.</summary>
    public static void Unclaim(DbConnection c, long id) =>
        c.Execute("UPDATE media SET state = 'queued', attempts = attempts - 1, updated_at = @now WHERE id = @id AND state = 'fetching'", new { id, now = Now });

    public static void MarkStored(DbConnection c, long id, string hash, string contentType, long size) => c.Execute(
        "UPDATE media SET state = 'stored', hash = @hash, content_type = @contentType, size = @size, last_error = NULL, next_attempt = NULL, updated_at = @now WHERE id = @id",
        new { id, hash, contentType, size, now = Now });

    public static void MarkFailed(DbConnection c, long id, string reason, long? nextAttempt) => c.Execute(
        "UPDATE media SET state = 'failed', last_error = @reason, next_attempt = @nextAttempt, updated_at = @now WHERE id = @id",
        new { id, reason, nextAttempt, now = Now });

    /// <summary>A fetch stopped by a shutdown goes back to the queue.</summary>
    public static void Release(DbConnection c, long id) =>
        c.Execute("UPDATE media SET state = 'queued', updated_at = @now WHERE id = @id AND state = 'fetching'", new { id, now = Now });

    /// <summary>
    /// Rows a dead process had claimed: the origin may have answered, so they are not fetched again
    /// at once, but recorded as failed and tried again at <paramref name="nextAttempt"/>.
    /// </summary>
    public static int FailInterrupted(DbConnection c, string reason, long nextAttempt) => c.Execute(
        "UPDATE media SET state = 'failed', last_error = @reason, next_attempt = @nextAttempt, updated_at = @now WHERE state = 'fetching'",
        new { reason, nextAttempt, now = Now });

    /// <summary>Requeues every failure (`media --retry`); the number requeued.</summary>
    public static int RetryFailed(DbConnection c) =>
        c.Execute("UPDATE media SET state = 'queued', next_attempt = NULL, attempts = 0, updated_at = @now WHERE state = 'failed'", new { now = Now });

    /// <summary>Records bytes found elsewhere (an import) for a URL, unless it is stored already; true when recorded.</summary>
    public static bool PutStored(DbConnection c, string url, string hash, string contentType, long size) => c.Execute(
        $"""
        INSERT INTO media (url, state, hash, content_type, size, queued_at, updated_at) VALUES (@url, 'stored', @hash, @contentType, @size, @now, @now)
        ON CONFLICT ({UrlKey(c)}) DO UPDATE SET state = 'stored', hash = excluded.hash, content_type = excluded.content_type, size = excluded.size,
            last_error = NULL, next_attempt = NULL, updated_at = excluded.updated_at
        WHERE media.state <> 'stored'
        """, new { url, hash, contentType, size, now = Now }) > 0;

    public static Dictionary<string, long> CountByState(DbConnection c) =>
        c.Query<(string State, long Count)>("SELECT state, count(*) FROM media GROUP BY state").ToDictionary(r => r.State, r => r.Count);

    public static List<MediaRow> Failures(DbConnection c, int limit) => Rows(c, "WHERE state = 'failed' ORDER BY id LIMIT @limit", new { limit });

    public static List<MediaRow> All(DbConnection c) => Rows(c, "ORDER BY id", null);

    /// <summary>URLs not stored yet, for an import to look for.</summary>
    public static List<string> Missing(DbConnection c) =>
        c.Query<string>("SELECT url FROM media WHERE state <> 'stored' ORDER BY id").AsList();

    public static MediaRow? Get(DbConnection c, string url) => Rows(c, "WHERE url = @url", new { url }).SingleOrDefault();

    /// <summary>URL → hash of those of <paramref name="urls"/> that are stored.</summary>
    public static Dictionary<string, string> StoredHashes(DbConnection c, IReadOnlyCollection<string> urls) => urls.Count == 0
        ? []
        : c.Query<(string Url, string Hash)>($"SELECT url, hash FROM media WHERE state = 'stored' AND {c.InList("url", "urls")}", new { urls = urls.ToArray() })
            .ToDictionary(r => r.Url, r => r.Hash, StringComparer.Ordinal);

    /// <summary>The sniffed type of stored bytes, or null when no stored row has this hash.</summary>
    public static string? ContentType(DbConnection c, string hash) =>
        c.ExecuteScalar<string?>("SELECT content_type FROM media WHERE hash = @hash AND state = 'stored' LIMIT 1", new { hash });

    private static List<MediaRow> Rows(DbConnection c, string where, object? args) => c.Query<MediaRow>(
        "SELECT id AS Id, url AS Url, state AS State, hash AS Hash, content_type AS ContentType, size AS Size, attempts AS Attempts, " +
        "last_error AS LastError, next_attempt AS NextAttempt FROM media " + where, args).AsList();
}

/// <summary>
/// The stored bytes: one file per SHA-256 in the folder beside the database (<c>&lt;name&gt;.media/ab/abcd…</c>),
/// written to a temporary name, flushed and renamed, so a file under its hash is always whole.
/// </summary>
public static class MediaBlobs
{
    public static string Folder(Database db) => System.IO.Path.ChangeExtension(db.Path, null) + ".media";

    public static string PathOf(Database db, string hash) => System.IO.Path.Combine(Folder(db), hash[..2], hash);

    public static void Write(Database db, string hash, ReadOnlySpan<byte> bytes)
    {
        var path = PathOf(db, hash);
        if (File.Exists(path))
        {
            return;
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temp, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // The same bytes arrived for another URL at the same moment.
            File.Delete(temp);
        }
    }
}
