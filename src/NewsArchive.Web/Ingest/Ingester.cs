using System.Collections.Concurrent;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>
/// Ingests seed files into the store: a walker that reads only new or changed files, parser threads
/// (with large stacks, since untrusted HTML may nest very deep), and one writer that commits in
/// batches, so a kill at any moment loses at most the uncommitted batch, which the next run redoes.
/// A file that killed an earlier ingest while it was parsed is parsed again alone, after the rest;
/// one that does it twice is quarantined (rejected until it changes), so it cannot crash every start.
/// </summary>
public sealed partial class Ingester(Database db)
{
    // A field, not the primary constructor parameter: that is in scope in this part of the class only.
    private readonly Database _db = db;

    private const int BatchSize = 256;
    // A batch is also committed once it holds this much, so a run of large files stays in memory bounds.
    private const long BatchBytes = 32L << 20;
    private const int ChunkSize = 32;
    private const int QuarantineAfter = 2;

    public Action<FileEvent>? OnFile { get; init; }

    public Action<IngestSummary>? OnProgress { get; init; }

    /// <summary>Called when the files are in and the index is merged into one segment (a bulk load: tens of seconds).</summary>
    public Action? OnMerge { get; init; }

    /// <summary>Which outlet each article is from (the site's and commands' come from Archive:Outlets and Archive:OutletsFile).</summary>
    public OutletTable Outlets { get; init; } = OutletTable.Shipped;

    /// <summary>The names' regional spellings threading counts as one (Archive:Transliterations over the shipped table).</summary>
    public Transliterations Names { get; init; } = Transliterations.Shipped;

    public Action<string>? OnStoriesProgress { get; init; }

    /// <summary>
    /// Whether the run threads its new and changed articles (docs/stories.md). Off
    /// (<c>ingest --no-stories</c>), they stay unthreaded until a run with it on or <c>stories rebuild</c>.
    /// </summary>
    public bool Stories { get; init; } = true;

    // What threading would read and fold again otherwise: the story features of the articles this
    // run stored, computed on the parser threads (which fold the title and text anyway) and kept
    // by the writer under the stored id, up to FreshStories of them.
    private readonly Dictionary<long, StoryThreading.Fresh> _fresh = [];

    /// <summary>At most this many articles' features are kept in memory (some 3 KB each); threading reads the others' from the database.</summary>
    private const int FreshStories = 100_000;

    /// <summary>
    /// Told of a failure of story threading, which then does not fail the ingest: threads are derived,
    /// and the articles left unthreaded are threaded by the next run. Without it the failure is the ingest's.
    /// </summary>
    public Action<Exception>? OnStoriesFailed { get; init; }

    // The outlets already in the outlets table; the writer records the others as they come.
    private HashSet<string> _recordedOutlets = [];

    /// <summary>Parser threads: the rest of the cores are the two writers'.</summary>
    public int Parallelism { get; init; } = Math.Max(1, Environment.ProcessorCount - 1);

    private sealed record Work(string Path, long Size, long Mtime, string? PreviousHash);

    /// <summary>A file read and hashed, and (if it changed) parsed: its article with its index document, or why not.</summary>
    /// <summary>A file as the parser threads leave it: for an article, also what the writer needs but
    /// should not spend its one thread on (the index document, the content hash, the image URLs).</summary>
    private sealed record Parsed(Work File, string Hash, Article? Article, IndexDocument? Document, ParseOutcome? Outcome, string? Error)
    {
        public string ContentHash { get; init; } = "";

        /// <summary>Whether the content is long enough to be the article's identity (Model/UrlIdentity.MinContentChars).</summary>
        public bool ContentIdentifies { get; init; }

        public Outlet? Outlet { get; init; }

        public IReadOnlyList<string> Images { get; init; } = [];

        /// <summary>The article's story features (its id not known yet), when it is dated and the run threads.</summary>
        public StoryItem? Story { get; init; }
    }

    public async Task<IngestSummary> RunAsync(IEnumerable<string> roots, CancellationToken ct = default)
    {
        var summary = new IngestSummary();
        var started = System.Diagnostics.Stopwatch.StartNew();
        // The parser threads wait for it before their first file.
        ArticleReader.StartWarmUp();
        // Rows stored before identity are merged first, so the files read next find their articles.
        Reconcile();
        // Rows an earlier version stored get this version's excerpt and tag rows.
        Rederive();
        // Before the indexer starts, so what it rebuilds carries the outlets' facet tokens.
        _recordedOutlets = OutletAssignment.Run(_db, Outlets);
        using var indexer = new Indexer(_db);
        // Whatever an earlier run left queued (a kill, a rebuild) goes in before anything new.
        indexer.Prepare();
        indexer.CatchUp();
        RecoverCrashes(summary);

        using var journal = ParseJournal.Create(_db.Path);
        var deferred = new List<Work>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        await Pipeline(output => Walk(roots, output, summary, deferred, present, ct), Parallelism, journal, indexer, summary, ct);
        if (deferred.Count > 0)
        {
            // Alone and last: if one of these kills the process again, the journal blames it alone.
            await Pipeline(output => deferred.ForEach(w => output.Add([w], ct)), 1, journal, indexer, summary, ct);
        }
        // After the new and changed files, so a file moved to another path is a duplicate first and its article stays.
        // Not inside OnDeletions?.Invoke(…): without a listener, the call's argument would not be evaluated.
        var deletions = RemoveGone(roots, present, journal);
        OnDeletions?.Invoke(deletions);
        // The new and changed articles join threads (docs/stories.md); with nothing new this is one query.
        // It reads and writes only articles' rows, so it runs beside the index's catch-up and merge,
        // which leave a core idle.
        // On a thread of its own, not the pool's: the pool's few workers are the merge's and its parallel loops'.
        using var stopStories = new CancellationTokenSource();
        var stories = Stories ? Stages.Start("ingest-stories", ThreadStories, null, stopStories, yieldToIndexer: false) : Task.CompletedTask;
        try
        {
            indexer.CatchUp();
            indexer.Finish(OnMerge);
        }
        finally
        {
            await stories;
        }
        indexer.PruneQueue();
        summary.Elapsed = started.Elapsed;
        return summary;
    }

    private void ThreadStories()
    {
        try
        {
            new StoryThreading(_db, Names) { OnProgress = OnStoriesProgress, Computed = _fresh }.Update();
        }
        catch (Exception e) when (OnStoriesFailed is not null && e is not OperationCanceledException)
        {
            OnStoriesFailed(e);
        }
    }

    private async Task Pipeline(
        Action<BlockingCollection<List<Work>>> feed, int parallelism, ParseJournal journal, Indexer indexer, IngestSummary summary, CancellationToken ct)
    {
        // Each stage is a thread that blocks on the collection before it and is woken by the stage
        // that fills it, a chunk of files at a time. As async stages on the thread pool, every
        // hand-over woke a pool worker that then spun for more work, taking turns on the two cores
        // from the index writer, which bounds the ingest (docs/benchmarks.md).
        using var work = new BlockingCollection<List<Work>>(BatchSize * 2 / ChunkSize);
        using var parsed = new BlockingCollection<List<Parsed>>(BatchSize * 2 / ChunkSize);
        using var toIndex = new BlockingCollection<IndexBatch>(2);
        // A stage that fails stops the others (a blocked Add or Take throws), except the indexer.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var parsersLeft = parallelism;

        var stages = new List<Task>
        {
            Stages.Start("ingest-walker", () => feed(work), work.CompleteAdding, stop),
            Stages.Start("ingest-writer", () => Write(parsed, toIndex, indexer, summary, stop.Token), toIndex.CompleteAdding, stop),
            // The index file has a writer of its own, so the two files are written at once. It is
            // not stopped: it applies what was committed, and if it fails, the writer stops too.
            Stages.Start("ingest-indexer", () => Index(indexer, toIndex), null, stop, yieldToIndexer: false),
        };
        for (var i = 0; i < parallelism; i++)
        {
            var slot = i;
            stages.Add(Stages.Start("ingest-parser", () => Parse(work, parsed, journal, slot, stop.Token), () =>
            {
                if (Interlocked.Decrement(ref parsersLeft) == 0)
                {
                    parsed.CompleteAdding();
                }
            }, stop));
        }
        await Stages.WhenAll(stages, ct);
    }

    /// <summary>
    /// Counts one more death against each file an earlier ingest process was parsing when it died;
    /// a file at <see cref="QuarantineAfter"/> is rejected as it is now, until it changes.
    /// </summary>
    private void RecoverCrashes(IngestSummary summary)
    {
        var suspects = ParseJournal.Recover(_db.Path);
        if (suspects.Count == 0)
        {
            return;
        }
        var quarantined = new List<FileEvent>();
        using (var c = _db.OpenArticles())
        using (var tx = c.BeginTransaction())
        {
            foreach (var path in suspects.Distinct())
            {
                var crashes = SourceFileStore.RecordCrash(c, path, tx);
                var info = new FileInfo(path);
                if (crashes >= QuarantineAfter && info.Exists)
                {
                    var reason = $"quarantined: the ingest died {crashes} times while parsing this file (it is read again once it changes)";
                    SourceFileStore.Quarantine(c, path, info.Length, info.LastWriteTimeUtc.Ticks, reason, tx);
                    quarantined.Add(new FileEvent(path, FileStatus.Rejected, reason));
                }
            }
            tx.Commit();
        }
        quarantined.ForEach(e => Report(summary, e));
    }

    /// <summary>What one committed batch queued for the index: up to which seq, and the new documents by sort_key.</summary>
    private sealed record IndexBatch(long UpTo, Dictionary<long, IndexDocument> Documents);

    private static void Index(Indexer indexer, BlockingCollection<IndexBatch> input)
    {
        foreach (var batch in input.GetConsumingEnumerable())
        {
            indexer.CatchUp(batch.UpTo, batch.Documents);
        }
    }

    private void Report(IngestSummary summary, FileEvent e)
    {
        Interlocked.Increment(ref summary.Rejected);
        OnFile?.Invoke(e);
    }
}
