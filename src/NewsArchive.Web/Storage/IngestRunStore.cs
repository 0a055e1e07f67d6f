using System.Data.Common;
using Dapper;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>Files by fate: of one run, or of every run together (what the metrics count).</summary>
public record IngestCounts
{
    public long New { get; init; }
    public long Updated { get; init; }
    public long Duplicates { get; init; }
    public long Unchanged { get; init; }
    public long Skipped { get; init; }
    public long Rejected { get; init; }

    /// <summary>Of the rejected: files that crashed the parser twice.</summary>
    public long Quarantined { get; init; }
}

/// <summary>One ingest run as recorded (Migrations/0007_ingest_runs.sql); times are Unix ms.</summary>
public sealed record IngestRun : IngestCounts
{
    public long Id { get; init; }
    public string Trigger { get; init; } = "";
    public long StartedAt { get; init; }
    public long? FinishedAt { get; init; }
    public long FilesSeen { get; init; }
    public string? Notes { get; init; }
}

/// <summary>The ingest_runs table.</summary>
public static class IngestRunStore
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Records a run as started; its id, for <see cref="Finish"/>.</summary>
    public static long Start(DbConnection c, string trigger) =>
        c.ExecuteScalar<long>("INSERT INTO ingest_runs (trigger, started_at) VALUES (@trigger, @now) RETURNING id", new { trigger, now = Now });

    public static void Finish(DbConnection c, long id, IngestSummary s, int quarantined, string? notes) =>
        c.Execute("""
            UPDATE ingest_runs SET finished_at = @now, files_seen = @Seen, new = @New, updated = @Updated, duplicates = @Duplicates,
                unchanged = @Unchanged, skipped = @Skipped, rejected = @Rejected, quarantined = @quarantined, notes = @notes
            WHERE id = @id
            """, new { id, now = Now, s.Seen, s.New, s.Updated, s.Duplicates, s.Unchanged, s.Skipped, s.Rejected, quarantined, notes });

    /// <summary>The newest runs first.</summary>
    public static List<IngestRun> Recent(DbConnection c, int limit) => c.Query<IngestRun>(
        """
        SELECT id AS Id, trigger AS Trigger, started_at AS StartedAt, finished_at AS FinishedAt, files_seen AS FilesSeen, new AS New,
            updated AS Updated, duplicates AS Duplicates, unchanged AS Unchanged, skipped AS Skipped, rejected AS Rejected,
            quarantined AS Quarantined, notes AS Notes
        FROM ingest_runs ORDER BY id DESC LIMIT @limit
        """, new { limit }).AsList();

    public static IngestCounts Totals(DbConnection c) => c.QuerySingle<IngestCounts>(
        """
        SELECT coalesce(sum(new), 0) AS New, coalesce(sum(updated), 0) AS Updated, coalesce(sum(duplicates), 0) AS Duplicates, coalesce(sum(unchanged), 0) AS Unchanged,
            coalesce(sum(skipped), 0) AS Skipped, coalesce(sum(rejected), 0) AS Rejected, coalesce(sum(quarantined), 0) AS Quarantined
        FROM ingest_runs
        """);
}

/// <summary>How far the index is behind the articles file's queue.</summary>
public sealed record IndexLag
{
    public bool Owned { get; init; }
    public long Queued { get; init; }
    public long? OldestWrittenAt { get; init; }

    /// <summary>How long the oldest queued change has waited at <paramref name="now"/>, or null when none waits.</summary>
    public TimeSpan? AgeAt(DateTimeOffset now) =>
        Queued > 0 && OldestWrittenAt is { } ms ? now - DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}

/// <summary>A file the ingest refused, with its reason; Quarantined: it crashed the parser (Ingest/Ingester.cs).</summary>
public sealed record ProblemFile
{
    public string Path { get; init; } = "";
    public string? Reason { get; init; }
    public long Mtime { get; init; }
    public bool Quarantined { get; init; }
}

/// <summary>Failed images of one kind of reason.</summary>
public sealed record MediaFailureCount
{
    public string Reason { get; init; } = "";
    public long Count { get; init; }
}

/// <summary>
/// Read-only questions an operator asks across tables (readiness, the status report): kept apart
/// from the stores that write those tables, and cheap (indexed lookups and small groupings).
/// </summary>
public static class OperatorQueries
{
    /// <summary>PRAGMA user_version of the articles file and of the attached index ("search").</summary>
    public static (long Articles, long Index) SchemaVersions(DbConnection c) => c.IsPostgres()
        ? c.ExecuteScalar<long>("SELECT coalesce(max(version), 0) FROM schema_migrations") is var v ? (v, v) : default
        : (c.ExecuteScalar<long>("PRAGMA main.user_version"), c.ExecuteScalar<long>("PRAGMA search.user_version"));

    /// <summary>
    /// The queue entries the index has not applied; their age is told by the oldest pending
    /// article's last write among the first thousand pending (the queue keeps no time; a bounded
    /// range of its key stays cheap during a rebuild). An index not yet this archive's (new, or of
    /// another archive) is to be rebuilt: every article is its lag.
    /// </summary>
    public static IndexLag Lag(DbConnection c) => c.QuerySingle<IndexLag>(
        $"""
        WITH s AS (SELECT archive_id, applied_seq FROM {c.Pick("search.", "")}index_state WHERE id = 1)
        SELECT
            coalesce((SELECT s.archive_id = a.archive_id FROM s, archive_info a WHERE a.id = 1), {c.Pick("0", "false")}) AS Owned,
            CASE WHEN (SELECT s.archive_id = a.archive_id FROM s, archive_info a WHERE a.id = 1)
                THEN (SELECT count(*) FROM index_queue WHERE seq > (SELECT applied_seq FROM s))
                ELSE (SELECT count(*) FROM articles) END AS Queued,
            (SELECT min(a.updated_at) FROM index_queue q JOIN articles a ON a.sort_key = q.sort_key
             WHERE q.seq > (SELECT applied_seq FROM s) AND q.seq <= (SELECT applied_seq FROM s) + 1000) AS OldestWrittenAt
        """);

    /// <summary>Rejected files, the most recently changed first; quarantined ones are those that crashed the parser twice.</summary>
    public static List<ProblemFile> Rejected(DbConnection c, int limit) => c.Query<ProblemFile>(
        "SELECT path AS Path, reason AS Reason, mtime AS Mtime, crashes >= 2 AS Quarantined FROM source_files WHERE status = 'rejected' ORDER BY mtime DESC LIMIT @limit",
        new { limit }).AsList();

    public static (long Rejected, long Quarantined) RejectedCounts(DbConnection c) =>
        c.QuerySingle<(long, long)>("SELECT count(*), CAST(coalesce(sum(CASE WHEN crashes >= 2 THEN 1 ELSE 0 END), 0) AS BIGINT) FROM source_files WHERE status = 'rejected'");

    /// <summary>Failed images by the kind of reason (the text before its first colon: "refused", "HTTP 404 Not Found", "too big" …).</summary>
    public static List<MediaFailureCount> MediaFailures(DbConnection c, int limit) => c.Query<MediaFailureCount>(
        $"""
        SELECT CASE WHEN {c.Pick("instr(last_error, ':')", "strpos(last_error, ':')")} > 0
            THEN substr(last_error, 1, {c.Pick("instr(last_error, ':')", "strpos(last_error, ':')")} - 1) ELSE coalesce(last_error, '') END AS Reason, count(*) AS Count
        FROM media WHERE state = 'failed' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT @limit
        """, new { limit }).AsList();

    /// <summary>The bytes of the stored images, each content counted once (as it is on disk).</summary>
    public static long MediaBytes(DbConnection c) =>
        c.ExecuteScalar<long>("SELECT CAST(coalesce(sum(size), 0) AS BIGINT) FROM (SELECT DISTINCT hash, size FROM media WHERE state = 'stored') AS stored");
}
