using System.Diagnostics;
using System.Net;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;
using Prometheus;

namespace NewsArchive.Web.Site;

/// <summary>What an operator sees of an archive: the status command prints it, /operator shows it, /metrics exports it.</summary>
public sealed record OperatorReport(
    DateTimeOffset At,
    long Articles,
    IReadOnlyList<ArticleStore.LanguageCount> Languages,
    IReadOnlyList<OutletStore.OutletCount> Outlets,
    IReadOnlyList<IngestRun> Runs,
    IngestCounts IngestTotals,
    long RejectedFiles,
    long QuarantinedFiles,
    IReadOnlyList<ProblemFile> Rejected,
    IndexLag Lag,
    SearchIndexKind SearchIndex,
    IReadOnlyDictionary<string, long> Media,
    IReadOnlyList<MediaFailureCount> MediaFailures,
    long MediaBytes,
    long DatabaseBytes,
    long IndexBytes)
{
    public const int ShownRuns = 20;
    public const int ShownRejected = 50;
    public const int ShownFailureKinds = 20;

    /// <summary>The media table's states, in the order they are shown.</summary>
    public static readonly string[] MediaStates = ["queued", "fetching", "stored", "failed"];

    public TimeSpan? LagAge => Lag.AgeAt(At);

    public static OperatorReport Read(Database db)
    {
        using var c = db.Open();
        var (rejected, quarantined) = OperatorQueries.RejectedCounts(c);
        return new OperatorReport(
            DateTimeOffset.UtcNow,
            ArticleStore.Count(c, new ArticleFilter()),
            ArticleStore.Languages(c, new ArticleFilter()),
            OutletStore.Counts(c),
            IngestRunStore.Recent(c, ShownRuns),
            IngestRunStore.Totals(c),
            rejected,
            quarantined,
            OperatorQueries.Rejected(c, ShownRejected),
            OperatorQueries.Lag(c),
            db.Index.Describe(c),
            MediaStore.CountByState(c),
            OperatorQueries.MediaFailures(c, OperatorReport.ShownFailureKinds),
            OperatorQueries.MediaBytes(c),
            FileBytes(db.Path),
            FileBytes(db.IndexPath));
    }

    /// <summary>A SQLite file with its write-ahead log (what it takes on disk now).</summary>
    private static long FileBytes(string path) =>
        new[] { path, path + "-wal" }.Select(p => new FileInfo(p)).Where(f => f.Exists).Sum(f => f.Length);
}

/// <summary>Whether the archive can answer: the database opens, its migrations are applied, the index has caught up.</summary>
public static class Readiness
{
    /// <summary>Null when ready, else why not (plain English: the JSON answer of /readyz).</summary>
    public static string? Check(Database db)
    {
        try
        {
            using var c = db.Open();
            var versions = OperatorQueries.SchemaVersions(c);
            if (versions != db.ExpectedVersions)
            {
                return $"migrations not applied: the articles file is at {versions.Articles} of {db.ExpectedVersions.Articles}, the index at {versions.Index} of {db.ExpectedVersions.Index}";
            }
            var lag = OperatorQueries.Lag(c);
            return lag.Queued == 0 ? null
                : lag.Owned ? $"the index lags: {lag.Queued} queued changes"
                : $"the index is to be rebuilt: {lag.Queued} articles";
        }
        catch (System.Data.Common.DbException e)
        {
            return "the database cannot be read: " + e.Message;
        }
    }
}

/// <summary>
/// The operator endpoints (/readyz, /metrics, /operator) and where they are served,
/// <c>Archive:OperatorUrls</c>: empty (the default) on the site's port to the machine itself
/// only (a loopback client whose request no proxy forwarded), unless <c>Archive:OperatorPublic</c>
/// is true; <c>off</c>: nowhere; a URL (<c>http://127.0.0.1:9091</c>): only on that extra port,
/// which serves nothing else. /healthz is on the site's port always.
/// </summary>
public static class OperatorEndpoints
{
    public const string Page = "/operator";
    private static readonly string[] Paths = ["/readyz", "/metrics", Page];

    private enum Mode
    {
        Local,
        Off,
        Port,
    }

    private sealed record Settings(Mode Mode, int Port, bool Public);

    private static Settings Read(IConfiguration config)
    {
        var urls = config["Archive:OperatorUrls"]?.Trim() ?? "";
        var open = config.GetValue<bool>("Archive:OperatorPublic");
        return urls switch
        {
            "" => new Settings(Mode.Local, 0, open),
            _ when urls.Equals("off", StringComparison.OrdinalIgnoreCase) => new Settings(Mode.Off, 0, open),
            _ when Uri.TryCreate(urls, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" => new Settings(Mode.Port, u.Port, open),
            _ => throw new InvalidOperationException($"Archive:OperatorUrls must be empty, off or a URL (http://127.0.0.1:9091), not {urls}"),
        };
    }

    public static void AddOperator(this IServiceCollection services)
    {
        services.AddSingleton(sp => Read(sp.GetRequiredService<IConfiguration>()));
        // A registry per app (not the process-wide default): the tests run several apps in one process.
        services.AddSingleton(_ => Metrics.NewCustomRegistry());
        services.AddSingleton<ArchiveMetrics>();
    }

    /// <summary>Before routing and the status pages: hides the operator endpoints where they are not served.</summary>
    public static void UseOperator(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<Settings>();
        var metrics = app.Services.GetRequiredService<ArchiveMetrics>();
        if (settings.Mode == Mode.Port && app.Urls.Count == 0)
        {
            // Kestrel takes the configured addresses only when none is given in code: the site's own
            // (its default when none is configured) are given here with the operator's.
            var urls = app.Configuration[WebHostDefaults.ServerUrlsKey];
            foreach (var url in (string.IsNullOrWhiteSpace(urls) ? "http://localhost:5000" : urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                app.Urls.Add(url);
            }
            app.Urls.Add(app.Configuration["Archive:OperatorUrls"]!.Trim());
        }
        app.Use(async (ctx, next) =>
        {
            // The site answers GET and HEAD only; any other method (Kestrel takes any token) is refused
            // here, before the HTTP metrics, whose method label would otherwise grow without bound.
            if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
            {
                ctx.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }
            var path = ctx.Request.Path;
            // By segment: routing also matches /operator/ and /metrics/.
            var isOperator = Paths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
            var onOperatorPort = settings.Mode == Mode.Port && ctx.Connection.LocalPort == settings.Port;
            var served = settings.Mode switch
            {
                Mode.Off => false,
                Mode.Port => onOperatorPort,
                _ => settings.Public || ClientAddress.IsLocal(ctx),
            };
            if ((isOperator && !served) || (onOperatorPort && !isOperator && !path.Equals("/healthz", StringComparison.OrdinalIgnoreCase)))
            {
                ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (RequestLimits.CostOf(ctx) != RequestCost.Search)
            {
                await next();
                return;
            }
            var watch = Stopwatch.StartNew();
            await next();
            metrics.Search.WithLabels(path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? "api" : "page").Observe(watch.Elapsed.TotalSeconds);
        });
        app.UseHttpMetrics(o => o.SetMetricFactory(Metrics.WithCustomRegistry(app.Services.GetRequiredService<CollectorRegistry>())));
    }

    public static void MapOperator(this WebApplication app)
    {
        app.MapGet("/readyz", (Database db) => Readiness.Check(db) is { } reason
            ? Results.Json(new { status = "not ready", reason }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok(new { status = "ready" }));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
    }
}

/// <summary>
/// The archive's own metrics beside prometheus-net's HTTP ones: search latency, and what the
/// database holds (index lag, ingest counts by fate, the media store), read at scrape time at most
/// every few seconds, so frequent scrapes cost one read.
/// </summary>
public sealed class ArchiveMetrics
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private readonly Database _db;
    private readonly Lock _lock = new();
    private readonly Gauge _articles;
    private readonly Gauge _queued;
    private readonly Gauge _lagSeconds;
    private readonly Gauge _media;
    private readonly Gauge _mediaFailed;
    private readonly Gauge _mediaBytes;
    private readonly Counter _files;
    private DateTime _readAt;

    public ArchiveMetrics(Database db, CollectorRegistry registry)
    {
        _db = db;
        var f = Metrics.WithCustomRegistry(registry);
        Search = f.CreateHistogram("newsarchive_search_duration_seconds", "Search requests from arrival to answer.",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 12) });
        _articles = f.CreateGauge("newsarchive_articles", "Articles in the archive.");
        _queued = f.CreateGauge("newsarchive_index_queued", "Changes the search index has yet to apply.");
        _lagSeconds = f.CreateGauge("newsarchive_index_lag_seconds", "Age of the oldest change the index has yet to apply (0 when caught up).");
        _media = f.CreateGauge("newsarchive_media_images", "Images in the media store by state.", "state");
        _mediaFailed = f.CreateGauge("newsarchive_media_failed", "Failed images by the kind of reason.", "reason");
        _mediaBytes = f.CreateGauge("newsarchive_media_bytes", "Bytes of the stored images.");
        _files = f.CreateCounter("newsarchive_ingest_files_total", "Files the ingests took in, by fate.", "fate");
        registry.AddBeforeCollectCallback(Refresh);
    }

    public Histogram Search { get; }

    private void Refresh()
    {
        lock (_lock)
        {
            if (DateTime.UtcNow - _readAt < Lifetime)
            {
                return;
            }
            _readAt = DateTime.UtcNow;
            // Not the whole OperatorReport: its counts by outlet take a second on 100k articles.
            using var c = _db.Open();
            var lag = OperatorQueries.Lag(c);
            _articles.Set(ArticleStore.Count(c, new ArticleFilter()));
            _queued.Set(lag.Queued);
            _lagSeconds.Set(lag.AgeAt(DateTimeOffset.UtcNow)?.TotalSeconds ?? 0);
            var media = MediaStore.CountByState(c);
            foreach (var state in OperatorReport.MediaStates)
            {
                _media.WithLabels(state).Set(media.GetValueOrDefault(state));
            }
            // A kind of failure that is gone (retried, stored) reads 0, not its last count.
            foreach (var labels in _mediaFailed.GetAllLabelValues())
            {
                _mediaFailed.WithLabels(labels).Set(0);
            }
            foreach (var m in OperatorQueries.MediaFailures(c, OperatorReport.ShownFailureKinds))
            {
                _mediaFailed.WithLabels(m.Reason).Set(m.Count);
            }
            _mediaBytes.Set(OperatorQueries.MediaBytes(c));
            var t = IngestRunStore.Totals(c);
            // The totals of the recorded runs (every process's ingests, the command's too): a counter that only follows them up.
            foreach (var (fate, n) in new[] { ("new", t.New), ("updated", t.Updated), ("duplicate", t.Duplicates), ("unchanged", t.Unchanged),
                ("skipped", t.Skipped), ("rejected", t.Rejected), ("quarantined", t.Quarantined) })
            {
                _files.WithLabels(fate).IncTo(n);
            }
        }
    }
}
