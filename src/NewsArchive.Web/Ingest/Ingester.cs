using System.Security.Cryptography;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>Counts of one ingest run; a file lands in exactly one of them.</summary>
public sealed class IngestSummary
{
    public int New;
    public int Updated;
    public int Unchanged;
    public int Duplicates;
    public int Skipped;
    public int Rejected;
    public int Seen;
    public TimeSpan Elapsed;

    public int Processed => New + Updated + Unchanged + Duplicates + Skipped + Rejected;

    public override string ToString() =>
        $"{New} new, {Updated} updated, {Unchanged} unchanged, {Duplicates} duplicates, {Skipped} skipped (not articles), {Rejected} rejected";
}

/// <summary>A file's fate, reported as it happens (the command prints rejected and skipped files).</summary>
public sealed record FileEvent(string Path, string Status, string? Reason);

/// <summary>
/// Ingests seed files into the store: a walker that reads only new or changed files, parser threads
/// (with large stacks, since untrusted HTML may nest very deep), and one writer that commits in
/// batches, so a kill at any moment loses at most the uncommitted batch, which the next run redoes.
/// </summary>
public sealed class Ingester(Database db)
{
    private const int BatchSize = 256;
    private const int ChunkSize = 32;
    // No real article comes near this; a larger file would cost hundreds of MB to parse.
    private const long MaxFileBytes = 16L << 20;

    public Action<FileEvent>? OnFile { get; init; }

    public Action<IngestSummary>? OnProgress { get; init; }

    /// <summary>Called when the files are in and the index is merged into one segment (a bulk load: tens of seconds).</summary>
    public Action? OnMerge { get; init; }

    /// <summary>Parser threads: the rest of the cores are the two writers'.</summary>
    public int Parallelism { get; init; } = Math.Max(1, Environment.ProcessorCount - 1);

    private sealed record Work(string Path, long Size, long Mtime, string? PreviousHash);

    private sealed record Parsed(Work File, string Hash, Article? Article, ParseOutcome? Outcome, string? Error);

    public async Task<IngestSummary> RunAsync(IEnumerable<string> roots, CancellationToken ct = default)
    {
        var summary = new IngestSummary();
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var indexer = new Indexer(db);
        // Whatever an earlier run left queued (a kill, a rebuild) goes in before anything new.
        indexer.Prepare();
        indexer.CatchUp();

        // Each stage is a thread that blocks on the collection before it and is woken by the stage
        // that fills it, a chunk of files at a time. As async stages on the thread pool, every
        // hand-over woke a pool worker that then spun for more work, taking turns on the two cores
        // from the index writer, which bounds the ingest (docs/benchmarks.md).
        using var work = new BlockingCollection<List<Work>>(BatchSize * 2 / ChunkSize);
        using var parsed = new BlockingCollection<List<Parsed>>(BatchSize * 2 / ChunkSize);
        using var toIndex = new BlockingCollection<IndexBatch>(2);
        // A stage that fails stops the others (a blocked Add or Take throws), except the indexer.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var parsersLeft = Parallelism;

        var stages = new List<Task>
        {
            Stage("ingest-walker", () => Walk(roots, work, summary, stop.Token), work.CompleteAdding, stop),
            Stage("ingest-writer", () => Write(parsed, toIndex, indexer, summary, stop.Token), toIndex.CompleteAdding, stop),
            // The index file has a writer of its own, so the two files are written at once. It is
            // not stopped: it applies what was committed, and if it fails, the writer stops too.
            Stage("ingest-indexer", () => Index(indexer, toIndex), null, stop, yieldToIndexer: false),
        };
        for (var i = 0; i < Parallelism; i++)
        {
            stages.Add(Stage("ingest-parser", () => Parse(work, parsed, stop.Token), () =>
            {
                if (Interlocked.Decrement(ref parsersLeft) == 0)
                {
                    parsed.CompleteAdding();
                }
            }, stop));
        }
        try
        {
            await Task.WhenAll(stages);
        }
        catch
        {
            // The cause, not the cancellations it set off in the other stages.
            var errors = stages.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions);
            var cause = errors.FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }
            ct.ThrowIfCancellationRequested();
            throw;
        }
        indexer.Finish(OnMerge);
        indexer.PruneQueue();
        summary.Elapsed = started.Elapsed;
        return summary;
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

    private void Walk(IEnumerable<string> roots, BlockingCollection<List<Work>> output, IngestSummary summary, CancellationToken ct)
    {
        using var c = db.Open();
        var chunk = new List<Work>(ChunkSize);
        foreach (var path in roots.SelectMany(EnumerateFiles))
        {
            ct.ThrowIfCancellationRequested();
            FileInfo info;
            try
            {
                info = new FileInfo(path);
                _ = info.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Report(summary, new FileEvent(path, "rejected", $"cannot read: {e.Message}"));
                continue;
            }
            Interlocked.Increment(ref summary.Seen);
            var mtime = info.LastWriteTimeUtc.Ticks;
            var known = SourceFileStore.Get(c, path);
            if (known is not null && known.Size == info.Length && known.Mtime == mtime)
            {
                Interlocked.Increment(ref summary.Unchanged);
                continue;
            }
            chunk.Add(new Work(path, info.Length, mtime, known?.Hash));
            if (chunk.Count == ChunkSize)
            {
                output.Add(chunk, ct);
                chunk = new List<Work>(ChunkSize);
            }
        }
        if (chunk.Count > 0)
        {
            output.Add(chunk, ct);
        }
    }

    /// <summary>Files below a folder (or the file itself), sorted, without following links (no loops).</summary>
    public static IEnumerable<string> EnumerateFiles(string root)
    {
        var full = Path.GetFullPath(root);
        if (File.Exists(full))
        {
            yield return full;
            yield break;
        }
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"no such file or folder: {root}");
        }
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden,
            ReturnSpecialDirectories = false,
        };
        // Sorted so every run (and every machine) meets duplicates in the same order.
        foreach (var f in Directory.EnumerateFiles(full, "*", options).Order(StringComparer.Ordinal))
        {
            yield return f;
        }
    }

    /// <summary>
    /// Lowers the calling thread's priority (Linux nice 10). The index writer bounds the ingest and
    /// needs one core to itself; at equal priority the scheduler shared both cores evenly among
    /// the stages, and the index writer waited a fifth of the time (docs/benchmarks.md).
    /// </summary>
    private static void YieldToIndexer()
    {
        const int PrioProcess = 0;
        if (OperatingSystem.IsLinux())
        {
            _ = setpriority(PrioProcess, gettid(), 10);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int setpriority(int which, int who, int prio);

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int gettid();

    private static void Parse(BlockingCollection<List<Work>> input, BlockingCollection<List<Parsed>> output, CancellationToken ct)
    {
        foreach (var chunk in input.GetConsumingEnumerable(ct))
        {
            output.Add(chunk.ConvertAll(ParseOne), ct);
        }
    }

    /// <summary>
    /// Runs a stage on a thread of its own (with a large stack: untrusted HTML may nest very deep).
    /// However it ends, its output ends (ended, if it has one); if it fails, the other stages stop.
    /// </summary>
    private static Task Stage(string name, Action run, Action? ended, CancellationTokenSource stop, bool yieldToIndexer = true)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                if (yieldToIndexer)
                {
                    YieldToIndexer();
                }
                run();
                done.SetResult();
            }
            catch (Exception e)
            {
                stop.Cancel();
                done.SetException(e);
            }
            finally
            {
                ended?.Invoke();
            }
        }, maxStackSize: 256 << 20)
        { IsBackground = true, Name = name }.Start();
        return done.Task;
    }

    private static Parsed ParseOne(Work w)
    {
        byte[] bytes;
        try
        {
            if (w.Size == 0)
            {
                // Never opened: FIFOs and devices also report 0 bytes, and reading one would block.
                return new Parsed(w, "", null, null, "empty file (or not a regular file)");
            }
            if (w.Size > MaxFileBytes)
            {
                return new Parsed(w, "", null, null, $"too large ({w.Size / (1 << 20)} MiB; the limit is {MaxFileBytes >> 20} MiB)");
            }
            bytes = File.ReadAllBytes(w.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Parsed(w, "", null, null, $"cannot read: {e.Message}");
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (hash == w.PreviousHash)
        {
            return new Parsed(w with { Size = bytes.Length }, hash, null, null, null);
        }
        try
        {
            var (article, outcome) = ArticleReader.Read(bytes, w.Path, DateTimeOffset.UtcNow);
            return new Parsed(w with { Size = bytes.Length }, hash, article, outcome, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Parsed(w, hash, null, null, $"cannot parse: {e.GetType().Name}: {e.Message}");
        }
    }

    private void Write(BlockingCollection<List<Parsed>> input, BlockingCollection<IndexBatch> toIndex, Indexer indexer, IngestSummary summary, CancellationToken ct)
    {
        using var c = db.OpenArticles();
        var batch = new List<Parsed>(BatchSize);
        void Flush()
        {
            toIndex.Add(Commit(c, batch, indexer.Applied, summary), ct);
            batch.Clear();
            OnProgress?.Invoke(summary);
        }
        foreach (var chunk in input.GetConsumingEnumerable(ct))
        {
            batch.AddRange(chunk);
            if (batch.Count >= BatchSize)
            {
                Flush();
            }
        }
        if (batch.Count > 0)
        {
            Flush();
        }
    }

    private IndexBatch Commit(SqliteConnection c, List<Parsed> batch, long indexed, IngestSummary summary)
    {
        var events = new List<FileEvent>();
        var counts = new IngestSummary();
        var documents = new Dictionary<long, IndexDocument>();
        long upTo;
        using (var tx = c.BeginTransaction())
        {
            IndexQueueStore.Prune(c, indexed, tx);
            var nextId = ArticleStore.NextId(c, tx);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var p in batch)
            {
                var f = p.File;
                if (p.Error is not null || p.Outcome?.RejectReason is not null)
                {
                    var reason = p.Error ?? p.Outcome!.RejectReason!;
                    SourceFileStore.Upsert(c, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, "rejected", reason, null), tx);
                    counts.Rejected++;
                    events.Add(new FileEvent(f.Path, "rejected", reason));
                }
                else if (p.Outcome is null)
                {
                    // Same bytes, new timestamp.
                    SourceFileStore.Touch(c, f.Path, f.Size, f.Mtime, tx);
                    counts.Unchanged++;
                }
                else if (p.Article is null)
                {
                    SourceFileStore.Upsert(c, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, "skipped", p.Outcome.SkipReason, null), tx);
                    counts.Skipped++;
                    events.Add(new FileEvent(f.Path, "skipped", p.Outcome.SkipReason));
                }
                else
                {
                    var (id, status) = Store(c, p.Article, f.Path, ref nextId, now, documents, tx);
                    SourceFileStore.Upsert(c, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, status == "duplicate" ? "duplicate" : "article", null, id), tx);
                    switch (status)
                    {
                        case "new": counts.New++; break;
                        case "updated": counts.Updated++; break;
                        default: counts.Duplicates++; break;
                    }
                }
            }
            upTo = IndexQueueStore.LastSeq(c, tx);
            tx.Commit();
        }
        // Counted only once committed, so the summary never claims what a crash took back.
        Interlocked.Add(ref summary.New, counts.New);
        Interlocked.Add(ref summary.Updated, counts.Updated);
        Interlocked.Add(ref summary.Unchanged, counts.Unchanged);
        Interlocked.Add(ref summary.Duplicates, counts.Duplicates);
        Interlocked.Add(ref summary.Skipped, counts.Skipped);
        Interlocked.Add(ref summary.Rejected, counts.Rejected);
        foreach (var e in events)
        {
            OnFile?.Invoke(e);
        }
        return new IndexBatch(upTo, documents);
    }

    /// <summary>
    /// The URL is the identity. When several files hold the same URL, the copy from the file whose
    /// full path sorts first (ordinal) is stored, whatever order the files arrive in; the others
    /// are duplicates. A changed file that holds the stored copy updates it in place.
    /// </summary>
    private static (long Id, string Status) Store(
        SqliteConnection c, Article a, string path, ref long nextId, long now, Dictionary<long, IndexDocument> documents, SqliteTransaction tx)
    {
        var existing = ArticleStore.FindByUrl(c, a.Url, tx);
        if (existing is not { } e)
        {
            var id = nextId++;
            Queue(c, ArticleStore.Put(c, id, a, path, now, null, tx), a, documents, tx);
            return (id, "new");
        }
        var samePath = e.SourcePath == path;
        if (samePath || string.CompareOrdinal(path, e.SourcePath) < 0)
        {
            IndexQueueStore.Enqueue(c, e.SortKey, put: false, tx);
            documents.Remove(e.SortKey);
            Queue(c, ArticleStore.Put(c, e.Id, a, path, now, e, tx), a, documents, tx);
        }
        return (e.Id, samePath ? "updated" : "duplicate");
    }

    private static void Queue(SqliteConnection c, long sortKey, Article a, Dictionary<long, IndexDocument> documents, SqliteTransaction tx)
    {
        IndexQueueStore.Enqueue(c, sortKey, put: true, tx);
        documents[sortKey] = a.Index;
    }

    private void Report(IngestSummary summary, FileEvent e)
    {
        Interlocked.Increment(ref summary.Rejected);
        OnFile?.Invoke(e);
    }
}
