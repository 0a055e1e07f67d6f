using System.Globalization;
using System.Text.Json;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Commands;

/// <summary>
/// <c>status [--db PATH] [--json]</c>: what the operator page shows (Site/OperatorEndpoints.cs,
/// <see cref="OperatorReport"/>), as text or as JSON. Exit codes: 0 ready, 1 not ready (the reason
/// is printed, as /readyz gives it), 2 usage error (no archive there).
/// </summary>
public static class StatusCommand
{
    public const int NotReady = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static int Run(Database db, bool json, bool fetching)
    {
        if (!db.IsPostgres && !File.Exists(db.Path))
        {
            Console.Error.WriteLine($"no archive at {db.Path}");
            return IngestCommand.Usage;
        }
        // As every command does: an archive of an older version is brought up to this one's tables.
        db.Migrate();
        var notReady = Readiness.Check(db);
        var report = OperatorReport.Read(db);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { ready = notReady is null, reason = notReady, mediaFetch = fetching, report }, Json));
        }
        else
        {
            Print(db, report, notReady, fetching);
        }
        return notReady is null ? IngestCommand.Ok : NotReady;
    }

    /// <summary>What to do about a search index slower than it could be (the operator page's Operator.SearchIndex.* in English).</summary>
    private static readonly Dictionary<string, string> Advice = new()
    {
        [SearchIndexKind.TurnedOff] = "RUM is turned off (Archive:PostgresRum=false)",
        [SearchIndexKind.NotInstalled] = "the database server lacks the postgresql-15-rum package; install it on every PostgreSQL server "
            + "(apt-get install postgresql-15-rum), restart them, then restart the app: it builds the RUM index as it starts",
        [SearchIndexKind.NotCreated] = "postgresql-15-rum is installed, but the app's database user could not create the extension; "
            + "run CREATE EXTENSION rum; in this database as a superuser, then restart the app",
        [SearchIndexKind.NotBuilt] = "the rum extension is there, and the app builds the RUM index at its next start",
    };

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("u", CultureInfo.InvariantCulture);

    private static string MiB(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static void Print(Database db, OperatorReport r, string? notReady, bool fetching)
    {
        Console.WriteLine($"{db.Location}: {(notReady is null ? "ready" : "not ready: " + notReady)}");
        Console.WriteLine($"files: articles {MiB(r.DatabaseBytes)}, index {MiB(r.IndexBytes)}, media {MiB(r.MediaBytes)}");
        Console.WriteLine($"articles: {r.Articles}; by language: " + string.Join(", ", r.Languages.Select(l => $"{l.Language} {l.Count}")));
        Console.WriteLine("by outlet: " + string.Join(", ", r.Outlets.Select(s => $"{s.Outlet} {s.Count}")));
        Console.WriteLine($"index: {r.Lag.Queued} changes queued" + (r.LagAge is { } age ? $", the oldest {age.TotalSeconds:F0} s old" : "")
            + (!r.Lag.Owned && r.Lag.Queued > 0 ? " (to be rebuilt)" : ""));
        Console.WriteLine($"search index: {r.SearchIndex.Kind}" + (r.SearchIndex.Missing is { } missing ? "; phrases are checked against each article's stored words (slower): " + Advice[missing] : ""));
        Console.WriteLine("media: " + string.Join(", ", OperatorReport.MediaStates.Select(s => $"{r.Media.GetValueOrDefault(s)} {s}"))
            + (r.MediaFailures.Count > 0 ? "; failed: " + string.Join(", ", r.MediaFailures.Select(f => $"{f.Reason} {f.Count}")) : ""));
        if (!fetching)
        {
            Console.WriteLine("media fetching is off (Archive:Media:Fetch=false): queued images are not fetched and articles show placeholders; "
                + "set Archive:Media:Fetch=true (environment Archive__Media__Fetch=true) and restart the site to fetch them");
        }
        Console.WriteLine($"last {r.Runs.Count} ingest runs:");
        foreach (var run in r.Runs)
        {
            var end = run.FinishedAt is { } f ? $"{(f - run.StartedAt) / 1000.0:F1} s" : "unfinished";
            Console.WriteLine($"  {Time(run.StartedAt)} {run.Trigger} ({end}): {run.FilesSeen} seen, {run.New} new, {run.Updated} updated, "
                + $"{run.Duplicates} duplicates, {run.Unchanged} unchanged, {run.Skipped} skipped, {run.Rejected} rejected ({run.Quarantined} quarantined)"
                + (run.Notes is null ? "" : "; " + run.Notes));
        }
        Console.WriteLine($"rejected files: {r.RejectedFiles} ({r.QuarantinedFiles} quarantined)");
        foreach (var file in r.Rejected)
        {
            Console.WriteLine($"  {(file.Quarantined ? "quarantined" : "rejected")}: {file.Path}: {file.Reason}");
        }
        if (r.RejectedFiles > r.Rejected.Count)
        {
            Console.WriteLine($"  … and {r.RejectedFiles - r.Rejected.Count} more");
        }
    }
}
