using System.Collections.Concurrent;
using System.Security.Cryptography;
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
/// A file that killed an earlier ingest while it was parsed is parsed again alone, after the rest;
/// one that does it twice is quarantined (rejected until it changes), so it cannot crash every start.
/// </summary>
public sealed class Ingester(Database db)
{
    private const int BatchSize = 256;
    // A batch is also committed once it holds this much, so a run of large files stays in memory bounds.
    private const long BatchBytes = 32L << 20;
    private const int ChunkSize = 32;
    private const int QuarantineAfter = 2;

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
        RecoverCrashes(summary);

        using var journal = ParseJournal.Create(db.Path);
        var deferred = new List<Work>();
        await Pipeline(output => Walk(roots, output, summary, deferred, ct), Parallelism, journal, indexer, summary, ct);
        if (deferred.Count > 0)
        {
            // Alone and last: if one of these kills the process again, the journal blames it alone.
            await Pipeline(output => deferred.ForEach(w => output.Add([w], ct)), 1, journal, indexer, summary, ct);
        }
        indexer.Finish(OnMerge);
        indexer.PruneQueue();
        summary.Elapsed = started.Elapsed;
        return summary;
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
        var suspects = ParseJournal.Recover(db.Path);
        if (suspects.Count == 0)
        {
            return;
        }
        var quarantined = new List<FileEvent>();
        using (var c = db.OpenArticles())
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
                    quarantined.Add(new FileEvent(path, "rejected", reason));
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

    /// <summary>New and changed files under the roots; those an earlier ingest died on go to <paramref name="deferred"/>.</summary>
    private void Walk(IEnumerable<string> roots, BlockingCollection<List<Work>> output, IngestSummary summary, List<Work> deferred, CancellationToken ct)
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
            var w = new Work(path, info.Length, mtime, known?.Hash);
            if (known?.Crashes > 0)
            {
                deferred.Add(w);
                continue;
            }
            chunk.Add(w);
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

    private static void Parse(BlockingCollection<List<Work>> input, BlockingCollection<List<Parsed>> output, ParseJournal journal, int slot, CancellationToken ct)
    {
        foreach (var chunk in input.GetConsumingEnumerable(ct))
        {
            output.Add(chunk.ConvertAll(w => ParseOne(w, journal, slot)), ct);
        }
    }

    private static Parsed ParseOne(Work w, ParseJournal journal, int slot)
    {
        if (SeedFile.Read(w.Path, out var unreadable) is not { } bytes)
        {
            return new Parsed(w, "", null, null, unreadable);
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        w = w with { Size = bytes.Length };
        if (hash == w.PreviousHash)
        {
            return new Parsed(w, hash, null, null, null);
        }
        journal.Begin(slot, w.Path);
        try
        {
            var (article, outcome) = ArticleReader.Read(bytes, w.Path, DateTimeOffset.UtcNow);
            return new Parsed(w, hash, article, outcome, null);
        }
        catch (ParseBudgetExceededException e)
        {
            return new Parsed(w, hash, null, null, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Parsed(w, hash, null, null, $"cannot parse: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            journal.End(slot);
        }
    }

    private void Write(BlockingCollection<List<Parsed>> input, BlockingCollection<IndexBatch> toIndex, Indexer indexer, IngestSummary summary, CancellationToken ct)
    {
        using var c = db.OpenArticles();
        var batch = new List<Parsed>(BatchSize);
        long bytes = 0;
        void Flush()
        {
            toIndex.Add(Commit(c, batch, indexer.Applied, summary), ct);
            batch.Clear();
            bytes = 0;
            OnProgress?.Invoke(summary);
        }
        foreach (var chunk in input.GetConsumingEnumerable(ct))
        {
            batch.AddRange(chunk);
            bytes += chunk.Sum(p => p.File.Size);
            if (batch.Count >= BatchSize || bytes >= BatchBytes)
            {
                Flush();
            }
        }
        if (batch.Count > 0)
        {
            Flush();
        }
    }

    private enum Fate
    {
        New,
        Updated,
        Unchanged,
        Duplicate,
        Skipped,
        Rejected,
    }

    private IndexBatch Commit(SqliteConnection c, List<Parsed> batch, long indexed, IngestSummary summary)
    {
        var events = new List<FileEvent>();
        var counts = new int[Enum.GetValues<Fate>().Length];
        var documents = new Dictionary<long, IndexDocument>();
        long upTo;
        using (var tx = c.BeginTransaction())
        {
            IndexQueueStore.Prune(c, indexed, tx);
            var nextId = ArticleStore.NextId(c, tx);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var p in batch)
            {
                // A savepoint per file: one that the store refuses (a key collision, a value too
                // big) is rejected alone, and the rest of its batch commits.
                tx.Save("file");
                var changes = new List<(long SortKey, IndexDocument? Document)>();
                Fate fate;
                try
                {
                    fate = CommitOne(c, p, ref nextId, now, changes, events, tx);
                    tx.Release("file");
                }
                catch (SqliteException e) when (e.SqliteErrorCode is SqliteConstraint or SqliteTooBig)
                {
                    tx.Rollback("file");
                    tx.Release("file");
                    var reason = $"cannot store: {e.Message}";
                    SourceFileStore.Upsert(c, new SourceFile(p.File.Path, p.File.Size, p.File.Mtime, p.Hash, "rejected", reason, null), tx);
                    events.Add(new FileEvent(p.File.Path, "rejected", reason));
                    counts[(int)Fate.Rejected]++;
                    continue;
                }
                counts[(int)fate]++;
                foreach (var (key, document) in changes)
                {
                    if (document is null)
                    {
                        documents.Remove(key);
                    }
                    else
                    {
                        documents[key] = document;
                    }
                }
            }
            upTo = IndexQueueStore.LastSeq(c, tx);
            tx.Commit();
        }
        // Counted only once committed, so the summary never claims what a crash took back.
        Interlocked.Add(ref summary.New, counts[(int)Fate.New]);
        Interlocked.Add(ref summary.Updated, counts[(int)Fate.Updated]);
        Interlocked.Add(ref summary.Unchanged, counts[(int)Fate.Unchanged]);
        Interlocked.Add(ref summary.Duplicates, counts[(int)Fate.Duplicate]);
        Interlocked.Add(ref summary.Skipped, counts[(int)Fate.Skipped]);
        Interlocked.Add(ref summary.Rejected, counts[(int)Fate.Rejected]);
        foreach (var e in events)
        {
            OnFile?.Invoke(e);
        }
        return new IndexBatch(upTo, documents);
    }

    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;

    /// <summary>Records one parsed file; the index changes it queues go to <paramref name="changes"/> (null: removed).</summary>
    private static Fate CommitOne(
        SqliteConnection c, Parsed p, ref long nextId, long now, List<(long, IndexDocument?)> changes, List<FileEvent> events, SqliteTransaction tx)
    {
        var f = p.File;
        // What the reader cut or set aside (a truncated title, ignored front matter) stays with the file's record.
        var notes = p.Outcome is { Notes.Count: > 0 } o ? string.Join("; ", o.Notes) : null;
        string WithNotes(string reason) => notes is null ? reason : $"{reason} ({notes})";
        if (p.Error is not null || p.Outcome?.RejectReason is not null)
        {
            var reason = WithNotes(p.Error ?? p.Outcome!.RejectReason!);
            SourceFileStore.Upsert(c, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, "rejected", reason, null), tx);
            events.Add(new FileEvent(f.Path, "rejected", reason));
            return Fate.Rejected;
        }
        if (p.Outcome is null)
        {
            // Same bytes, new timestamp.
            SourceFileStore.Touch(c, f.Path, f.Size, f.Mtime, tx);
            return Fate.Unchanged;
        }
        if (p.Article is null)
        {
            var skipped = WithNotes(p.Outcome.SkipReason ?? "not an article");
            SourceFileStore.Upsert(c, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, "skipped", skipped, null), tx);
            events.Add(new FileEvent(f.Path, "skipped", skipped));
            return Fate.Skipped;
        }
        var (id, fate) = Store(c, p.Article, f.Path, ref nextId, now, changes, tx);
        SourceFileStore.Upsert(c, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, fate == Fate.Duplicate ? "duplicate" : "article", notes, id), tx);
        if (notes is not null)
        {
            events.Add(new FileEvent(f.Path, "stored with notes", notes));
        }
        return fate;
    }

    /// <summary>
    /// The URL is the identity. When several files hold the same URL, the copy from the file whose
    /// full path sorts first (ordinal) is stored, whatever order the files arrive in; the others
    /// are duplicates. A changed file that holds the stored copy updates it in place.
    /// </summary>
    private static (long Id, Fate Fate) Store(
        SqliteConnection c, Article a, string path, ref long nextId, long now, List<(long, IndexDocument?)> changes, SqliteTransaction tx)
    {
        var existing = ArticleStore.FindByUrl(c, a.Url, tx);
        if (existing is not { } e)
        {
            var id = nextId++;
            Queue(c, ArticleStore.Put(c, id, a, path, now, null, tx), a, changes, tx);
            return (id, Fate.New);
        }
        var samePath = e.SourcePath == path;
        if (samePath || string.CompareOrdinal(path, e.SourcePath) < 0)
        {
            IndexQueueStore.Enqueue(c, e.SortKey, put: false, tx);
            changes.Add((e.SortKey, null));
            Queue(c, ArticleStore.Put(c, e.Id, a, path, now, e, tx), a, changes, tx);
        }
        return (e.Id, samePath ? Fate.Updated : Fate.Duplicate);
    }

    private static void Queue(SqliteConnection c, long sortKey, Article a, List<(long, IndexDocument?)> changes, SqliteTransaction tx)
    {
        IndexQueueStore.Enqueue(c, sortKey, put: true, tx);
        // Media hook: the article's images are queued with it; the fetch runs elsewhere (Media/MediaWorker.cs).
        MediaStore.Enqueue(c, Media.MediaHtml.ImageUrls(a.Html, a.LeadImage), tx);
        changes.Add((sortKey, a.Index));
    }

    private void Report(IngestSummary summary, FileEvent e)
    {
        Interlocked.Increment(ref summary.Rejected);
        OnFile?.Invoke(e);
    }
}
