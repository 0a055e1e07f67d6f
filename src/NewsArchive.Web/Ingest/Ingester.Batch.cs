using System.Data.Common;
using System.Collections.Concurrent;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>The writer: parsed files committed in batches, a savepoint per file.</summary>
public sealed partial class Ingester
{
    private void Write(BlockingCollection<List<Parsed>> input, BlockingCollection<IndexBatch> toIndex, Indexer indexer, IngestSummary summary, CancellationToken ct)
    {
        using var c = _db.OpenArticles();
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

    private IndexBatch Commit(DbConnection c, List<Parsed> batch, long indexed, IngestSummary summary)
    {
        // First without a savepoint per file: a savepoint makes SQLite copy each page a file's
        // writes touch again (64 KiB each) to undo them, which cost more than the writes
        // (docs/benchmarks.md, eleventh session). A batch that has a file the store refuses is
        // rolled back whole and done again with them, so the same files are rejected alone.
        var (events, counts, documents, upTo, stored) = TryCommit(c, batch, indexed, savepoints: false) ?? TryCommit(c, batch, indexed, savepoints: true)!.Value;
        // Counted only once committed, so the summary never claims what a crash took back.
        Interlocked.Add(ref summary.New, counts[(int)FileStatus.New]);
        Interlocked.Add(ref summary.Updated, counts[(int)FileStatus.Updated]);
        Interlocked.Add(ref summary.Unchanged, counts[(int)FileStatus.Unchanged]);
        Interlocked.Add(ref summary.Duplicates, counts[(int)FileStatus.Duplicate]);
        Interlocked.Add(ref summary.Skipped, counts[(int)FileStatus.Skipped]);
        Interlocked.Add(ref summary.Rejected, counts[(int)FileStatus.Rejected]);
        foreach (var e in events)
        {
            OnFile?.Invoke(e);
        }
        foreach (var (id, p) in stored)
        {
            // A later file of the same article replaces its features, as it replaced its row.
            if (p.Story is { } item && (_fresh.Count < FreshStories || _fresh.ContainsKey(id)))
            {
                _fresh[id] = new StoryThreading.Fresh(p.Article!.Title, item with { Id = id });
            }
        }
        return new IndexBatch(upTo, documents);
    }

    /// <summary>
    /// The batch in one transaction; null (the transaction rolled back) when, without savepoints, the store refused a file.
    /// </summary>
    private (List<FileEvent> Events, int[] Counts, Dictionary<long, IndexDocument> Documents, long UpTo, List<(long Id, Parsed File)> Stored)? TryCommit(
        DbConnection c, List<Parsed> batch, long indexed, bool savepoints)
    {
        var events = new List<FileEvent>();
        var counts = new int[Enum.GetValues<FileStatus>().Length];
        var documents = new Dictionary<long, IndexDocument>();
        var stored = new List<(long, Parsed)>();
        using var tx = c.BeginTransaction();
        using var b = new IngestBatch(c, tx);
        IndexQueueStore.Prune(c, indexed, tx);
        var nextId = ArticleStore.NextId(c, tx);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var p in batch)
        {
            // A savepoint per file: one that the store refuses (a key collision, a value too
            // big) is rejected alone, and the rest of its batch commits.
            if (savepoints)
            {
                b.Save();
            }
            var changes = new List<(long SortKey, IndexDocument? Document)>();
            FileStatus fate;
            long? id;
            try
            {
                (fate, id) = CommitOne(b, p, ref nextId, now, changes, events);
                if (savepoints)
                {
                    b.Release();
                }
            }
            catch (DbException e) when (Dialect.IsRefusedValue(e))
            {
                if (!savepoints)
                {
                    tx.Rollback();
                    return null;
                }
                b.RollBack();
                b.Release();
                var reason = $"cannot store: {e.Message}";
                SourceFileStore.Upsert(b, new SourceFile(p.File.Path, p.File.Size, p.File.Mtime, p.Hash, FileStatus.Rejected, reason, null));
                events.Add(new FileEvent(p.File.Path, FileStatus.Rejected, reason));
                counts[(int)FileStatus.Rejected]++;
                continue;
            }
            counts[(int)fate]++;
            if (id is { } written)
            {
                stored.Add((written, p));
            }
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
        // An outlet no article had before (one the table does not list, named after its domain).
        OutletStore.Put(c, batch.Select(p => p.Outlet).OfType<Outlet>().Where(o => _recordedOutlets.Add(o.Id)), tx);
        var upTo = IndexQueueStore.LastSeq(c, tx);
        tx.Commit();
        return (events, counts, documents, upTo, stored);
    }

    /// <summary>
    /// Records one parsed file; the index changes it queues go to <paramref name="changes"/> (null: removed).
    /// Its fate, and the id of the article it stored (null when it stored none: a duplicate of the stored copy, a rejection).
    /// </summary>
    private static (FileStatus Fate, long? Stored) CommitOne(
        IngestBatch b, Parsed p, ref long nextId, long now, List<(long, IndexDocument?)> changes, List<FileEvent> events)
    {
        var f = p.File;
        // What the reader cut or set aside (a truncated title, ignored front matter) stays with the file's record.
        var notes = p.Outcome is { Notes.Count: > 0 } o ? string.Join("; ", o.Notes) : null;
        string WithNotes(string reason) => notes is null ? reason : $"{reason} ({notes})";
        if (p.Error is not null || p.Outcome?.RejectReason is not null)
        {
            var reason = WithNotes(p.Error ?? p.Outcome!.RejectReason!);
            SourceFileStore.Upsert(b, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, FileStatus.Rejected, reason, null));
            events.Add(new FileEvent(f.Path, FileStatus.Rejected, reason));
            return (FileStatus.Rejected, null);
        }
        if (p.Outcome is null)
        {
            // Same bytes, new timestamp.
            SourceFileStore.Touch(b.Connection, f.Path, f.Size, f.Mtime, b.Transaction);
            return (FileStatus.Unchanged, null);
        }
        if (p.Article is null)
        {
            var skipped = WithNotes(p.Outcome.SkipReason ?? "not an article");
            SourceFileStore.Upsert(b, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, FileStatus.Skipped, skipped, null));
            events.Add(new FileEvent(f.Path, FileStatus.Skipped, skipped));
            return (FileStatus.Skipped, null);
        }
        var (id, fate) = Store(b, p, f.Path, ref nextId, now, changes);
        SourceFileStore.Upsert(b, new SourceFile(f.Path, f.Size, f.Mtime, p.Hash, fate, notes, id));
        if (notes is not null)
        {
            events.Add(new FileEvent(f.Path, FileStatus.StoredWithNotes, notes));
        }
        // The article's row was written when an index put was queued for it (Store's Queue).
        return (fate, changes.Exists(ch => ch.Item2 is not null) ? id : null);
    }
}
