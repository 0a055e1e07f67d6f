using System.Security.Cryptography;
using System.Threading.Channels;
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
    // No real article comes near this; a larger file would cost hundreds of MB to parse.
    private const long MaxFileBytes = 16L << 20;

    public Action<FileEvent>? OnFile { get; init; }

    public Action<IngestSummary>? OnProgress { get; init; }

    /// <summary>Parser threads: one core is left to the writer, which is the bottleneck.</summary>
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

        var work = Channel.CreateBounded<Work>(new BoundedChannelOptions(BatchSize * 2) { SingleWriter = true });
        var parsed = Channel.CreateBounded<Parsed>(new BoundedChannelOptions(BatchSize * 2) { SingleReader = true });
        var toIndex = Channel.CreateBounded<IndexBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });

        var walker = Task.Run(() => Walk(roots, work.Writer, summary, ct), ct);
        var parsers = Enumerable.Range(0, Parallelism).Select(_ => StartParser(work.Reader, parsed.Writer, ct)).ToArray();
        var closer = Task.WhenAll(parsers).ContinueWith(t => parsed.Writer.Complete(t.Exception), TaskScheduler.Default);
        // The index file has a writer of its own, so the two files are written at once. It is not
        // cancelled: it applies what was committed, and if it fails, the writer stops too.
        var indexing = Task.Factory.StartNew(() => Index(indexer, toIndex.Reader), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _ = indexing.ContinueWith(t => toIndex.Writer.TryComplete(t.Exception), TaskScheduler.Default);
        try
        {
            await WriteAsync(parsed.Reader, toIndex.Writer, indexer, summary, ct);
        }
        finally
        {
            toIndex.Writer.TryComplete();
            // Before the indexer is disposed, whatever happened above.
            await indexing;
        }
        indexer.PruneQueue();
        await walker;
        await closer;
        summary.Elapsed = started.Elapsed;
        return summary;
    }

    /// <summary>What one committed batch queued for the index: up to which seq, and the new documents by sort_key.</summary>
    private sealed record IndexBatch(long UpTo, Dictionary<long, IndexDocument> Documents);

    private static void Index(Indexer indexer, ChannelReader<IndexBatch> input)
    {
        while (input.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (input.TryRead(out var batch))
            {
                indexer.CatchUp(batch.UpTo, batch.Documents);
            }
        }
    }

    private void Walk(IEnumerable<string> roots, ChannelWriter<Work> output, IngestSummary summary, CancellationToken ct)
    {
        try
        {
            using var c = db.Open();
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
                while (!output.TryWrite(new Work(path, info.Length, mtime, known?.Hash)))
                {
                    output.WaitToWriteAsync(ct).AsTask().GetAwaiter().GetResult();
                }
            }
            output.Complete();
        }
        catch (Exception e)
        {
            output.Complete(e);
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

    private static Task StartParser(ChannelReader<Work> input, ChannelWriter<Parsed> output, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                while (input.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
                {
                    while (input.TryRead(out var w))
                    {
                        var p = ParseOne(w);
                        while (!output.TryWrite(p))
                        {
                            output.WaitToWriteAsync(ct).AsTask().GetAwaiter().GetResult();
                        }
                    }
                }
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }, maxStackSize: 256 << 20)
        { IsBackground = true, Name = "ingest-parser" };
        thread.Start();
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

    private async Task WriteAsync(ChannelReader<Parsed> input, ChannelWriter<IndexBatch> toIndex, Indexer indexer, IngestSummary summary, CancellationToken ct)
    {
        using var c = db.OpenArticles();
        var batch = new List<Parsed>(BatchSize);
        while (await input.WaitToReadAsync(ct))
        {
            while (batch.Count < BatchSize && input.TryRead(out var p))
            {
                batch.Add(p);
            }
            if (batch.Count >= BatchSize)
            {
                await toIndex.WriteAsync(Commit(c, batch, indexer.Applied, summary), ct);
                batch.Clear();
                OnProgress?.Invoke(summary);
            }
        }
        if (batch.Count > 0)
        {
            await toIndex.WriteAsync(Commit(c, batch, indexer.Applied, summary), ct);
            OnProgress?.Invoke(summary);
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
