using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>
/// Ingests the seeds folder at start-up, in the background so the site answers meanwhile, then
/// watches it and re-runs the (incremental) ingest shortly after files appear, change or go.
/// </summary>
public sealed class IngestService(
    Database db, IOptions<ArchiveOptions> options, IOutputCacheStore cache, ArchiveStats stats, ILogger<IngestService> log) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0);

    public IngestSummary? LastRun { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.Ingest)
        {
            log.LogInformation("Archive:Ingest is false: this node serves the archive and another one ingests");
            return;
        }
        var seeds = options.Value.SeedsPath;
        if (string.IsNullOrEmpty(seeds))
        {
            log.LogInformation("No seeds folder (Archive:SeedsPath): nothing is ingested or watched");
            return;
        }
        if (!Directory.Exists(seeds))
        {
            log.LogWarning("Seeds folder {Seeds} not found; nothing to ingest", seeds);
            return;
        }
        var watcher = Watch(seeds);
        var missing = false;
        try
        {
            var trigger = "startup";
            while (!ct.IsCancellationRequested)
            {
                // A removed seeds folder takes its watch with it (its articles stay: Ingester.Deletions.cs);
                // it is polled until it is back, then watched anew.
                if (Directory.Exists(seeds) == missing)
                {
                    missing = !missing;
                    watcher?.Dispose();
                    _watcherFailed = false;
                    watcher = missing ? null : Watch(seeds);
                }
                var ok = await RunOnceAsync(seeds, trigger, ct);
                trigger = "watcher";
                // Without a watcher (inotify limits), the folder is polled instead; after a failed run
                // (the database away: a primary restarting), the run is tried again soon.
                var wait = !ok ? RetryInterval : watcher is null || _watcherFailed ? PollInterval : Timeout.InfiniteTimeSpan;
                if (!await _changed.WaitAsync(wait, ct))
                {
                    continue;
                }
                // Let a burst of writes settle (half a second without a change, ten at most), then take
                // it in one run: a run in the middle of a folder's removal would see it half gone.
                var settling = System.Diagnostics.Stopwatch.StartNew();
                while (await _changed.WaitAsync(TimeSpan.FromMilliseconds(500), ct) && settling.Elapsed < TimeSpan.FromSeconds(10))
                {
                }
                while (_changed.CurrentCount > 0)
                {
                    await _changed.WaitAsync(ct);
                }
            }
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private volatile bool _watcherFailed;

    /// <summary>A watcher on the folder, or null when the system refuses one (too many inotify watches or instances).</summary>
    private FileSystemWatcher? Watch(string seeds)
    {
        try
        {
            var watcher = new FileSystemWatcher(seeds) { IncludeSubdirectories = true };
            watcher.Created += (_, _) => _changed.Release();
            watcher.Changed += (_, _) => _changed.Release();
            watcher.Renamed += (_, _) => _changed.Release();
            watcher.Deleted += (_, _) => _changed.Release();
            watcher.Error += (_, e) =>
            {
                log.LogWarning(e.GetException(), "Watching {Seeds} failed; polling it every {Seconds} s instead", seeds, PollInterval.TotalSeconds);
                _watcherFailed = true;
                _changed.Release();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            log.LogWarning(e, "Cannot watch {Seeds}; polling it every {Seconds} s instead", seeds, PollInterval.TotalSeconds);
            return null;
        }
    }

    /// <summary>One ingest of the folder; false when it failed (logged) and should be tried again.</summary>
    private async Task<bool> RunOnceAsync(string seeds, string trigger, CancellationToken ct)
    {
        try
        {
            var run = RecordedRun.Start(db, trigger);
            var deleted = false;
            var ingester = new Ingester(db)
            {
                Outlets = options.Value.OutletTable(),
                OnStoriesFailed = e => log.LogError(e, "Story threading failed; the next run threads these articles"),
                Names = Transliterations.Load(options.Value.Transliterations),
                OnFile = e =>
                {
                    run.Seen(e);
                    log.LogWarning("{Status} {Path}: {Reason}", e.Status, e.Path, e.Reason);
                },
                OnDeletions = d =>
                {
                    run.Seen(d);
                    deleted = d.Changed;
                    if (d.Refused is not null)
                    {
                        log.LogWarning("Deletions refused: {Reason}", d.Refused);
                    }
                    if (d.Files > 0)
                    {
                        log.LogInformation("{Files} files gone: {Removed} articles deleted, {Moved} stored from another file", d.Files, d.Removed, d.Moved);
                    }
                },
            };
            LastRun = await run.Of(ingester.RunAsync([seeds], ct));
            if (LastRun.New + LastRun.Updated + LastRun.Duplicates > 0 || deleted)
            {
                stats.Clear();
                await cache.EvictByTagAsync(ArchiveCache.Tag, ct);
            }
            log.LogInformation("Ingested {Seeds} in {Ms} ms: {Summary}", seeds, (int)LastRun.Elapsed.TotalMilliseconds, LastRun);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "Ingest of {Seeds} failed; trying again in {Seconds} s", seeds, RetryInterval.TotalSeconds);
            return false;
        }
        return true;
    }
}

/// <summary>
/// One ingest recorded as a row of ingest_runs (Storage/IngestRunStore.cs), for the status command,
/// the operator page and the metrics: started first, so a run that dies shows as unfinished.
/// </summary>
public sealed class RecordedRun
{
    private readonly Database _db;
    private readonly long _id;
    private int _quarantined;
    private string? _kept;

    private RecordedRun(Database db, long id) => (_db, _id) = (db, id);

    public static RecordedRun Start(Database db, string trigger)
    {
        using var c = db.OpenArticles();
        return new RecordedRun(db, IngestRunStore.Start(c, trigger));
    }

    /// <summary>The ingester's OnFile calls it: a quarantine is a rejection worded so by Ingester.RecoverCrashes.</summary>
    public void Seen(FileEvent e)
    {
        if (e.Fate == FileStatus.Rejected && e.Reason?.StartsWith("quarantined:", StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _quarantined);
        }
    }

    /// <summary>The ingester's OnDeletions calls it: what the run kept though its files are gone is said in the run's notes.</summary>
    public void Seen(DeletionReport d) => _kept = d.Refused;

    /// <summary>Awaits the run and records its counts, or the error that ended it.</summary>
    public async Task<IngestSummary> Of(Task<IngestSummary> running)
    {
        IngestSummary? summary = null;
        string? notes = null;
        try
        {
            return summary = await running;
        }
        catch (Exception e)
        {
            notes = e is OperationCanceledException ? "stopped" : "failed: " + e.Message;
            throw;
        }
        finally
        {
            using var c = _db.OpenArticles();
            IngestRunStore.Finish(c, _id, summary ?? new IngestSummary(), _quarantined, notes ?? _kept);
        }
    }
}
