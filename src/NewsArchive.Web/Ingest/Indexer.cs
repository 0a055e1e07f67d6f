using System.Data.Common;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>
/// Keeps the index file in step with the articles file. The ingest's writer queues each change in
/// index_queue in the same transaction as the article; the indexer applies the queue in order on
/// its own connection (and, during an ingest, its own thread), recording the last seq applied in
/// the same transaction as the index rows. So a kill at any moment leaves a queue that the next
/// run finishes, and no change is applied twice. Tokens come with the ingest's batch when it has
/// them; otherwise (after a kill, for a rebuild) they are computed again from the stored article.
/// </summary>
public sealed class Indexer : IDisposable
{
    private const int ChunkSize = 512;
    private readonly DbConnection _articles;
    private readonly DbConnection _index;
    private readonly ISearchIndex _search;
    private long _applied;
    private long _put;
    private bool _bulkLoad;

    public Indexer(Database db)
    {
        _articles = db.OpenArticles();
        _index = db.OpenIndexWriter();
        _search = db.Index;
    }

    /// <summary>The last queued change this indexer knows to be in the index (entries up to it can be pruned).</summary>
    public long Applied => Volatile.Read(ref _applied);

    /// <summary>
    /// Makes sure the index is this archive's. A new index file (or one from another archive) is
    /// emptied and every article is queued; the next <see cref="CatchUp"/> builds it.
    /// </summary>
    public void Prepare()
    {
        var archiveId = IndexQueueStore.ArchiveId(_articles);
        var state = IndexStateStore.Get(_index);
        if (state.ArchiveId == archiveId && state.AppliedSeq <= IndexQueueStore.LastSeq(_articles))
        {
            Volatile.Write(ref _applied, state.AppliedSeq);
            // Into an empty archive: a bulk load (which also restores the normal policy after a killed one).
            _bulkLoad = ArticleStore.Count(_articles, new ArticleFilter()) == 0;
            _search.SetMerging(_index, _bulkLoad);
            return;
        }
        // Queue first: a kill between the two transactions only repeats this on the next run.
        long before;
        using (var tx = _articles.BeginTransaction())
        {
            before = IndexQueueStore.LastSeq(_articles, tx);
            IndexQueueStore.EnqueueAll(_articles, tx);
            tx.Commit();
        }
        using (var tx = _index.BeginTransaction())
        {
            _search.Reset(_index, archiveId, before, tx);
            tx.Commit();
        }
        Volatile.Write(ref _applied, before);
        _bulkLoad = true;
        _search.SetMerging(_index, _bulkLoad);
    }

    /// <summary>Applies the queue up to seq upTo (all of it by default), a chunk per transaction.</summary>
    public void CatchUp(long upTo = long.MaxValue, IReadOnlyDictionary<long, IndexDocument>? fresh = null)
    {
        while (true)
        {
            var applied = IndexStateStore.Get(_index).AppliedSeq;
            var changes = applied < upTo ? IndexQueueStore.After(_articles, applied, upTo, ChunkSize) : [];
            if (changes.Count == 0)
            {
                Volatile.Write(ref _applied, applied);
                return;
            }
            // The final state of each key in the chunk: removed first if a change removed it, then put if the last change puts it.
            var removed = new HashSet<long>();
            var puts = new SortedDictionary<long, IndexDocument?>();
            foreach (var change in changes)
            {
                if (change.IsPut)
                {
                    puts[change.SortKey] = null;
                }
                else
                {
                    removed.Add(change.SortKey);
                    puts.Remove(change.SortKey);
                }
            }
            foreach (var key in puts.Keys.ToList())
            {
                puts[key] = fresh?.GetValueOrDefault(key)
                    ?? (ArticleStore.GetBySortKey(_articles, key) is { } stored ? IndexDocument.Of(stored) : null);
            }
            using var tx = _index.BeginTransaction();
            if (IndexStateStore.Get(_index, tx).AppliedSeq != applied)
            {
                // Another process's ingest applied some of these meanwhile: read the queue again.
                continue;
            }
            foreach (var key in removed)
            {
                _search.Delete(_index, key, tx);
            }
            // In rowid order: FTS5 starts a new segment whenever a rowid is not above the last one.
            var put = 0;
            using (var inserter = _search.Inserter(_index, tx))
            {
                foreach (var (key, document) in puts)
                {
                    if (document is not null)
                    {
                        inserter.Put(key, document.Row);
                        put++;
                    }
                }
            }
            IndexStateStore.SetApplied(_index, changes[^1].Seq, tx);
            tx.Commit();
            _put += put;
            Volatile.Write(ref _applied, changes[^1].Seq);
        }
    }

    /// <summary>
    /// After a run that put at least half the archive's articles, merges the index into one segment:
    /// it costs less than the merges FTS5 would otherwise do later, and leaves the fastest index to
    /// search. Then the normal merge policy again (see <see cref="ISearchIndex.SetMerging"/>).
    /// Small ingests leave the merging to FTS5.
    /// </summary>
    public void Finish(Action? merging = null)
    {
        if (_put > 0 && _put * 2 >= ArticleStore.Count(_articles, new ArticleFilter()))
        {
            merging?.Invoke();
            _search.Optimize(_index);
        }
        if (_bulkLoad)
        {
            _search.SetMerging(_index, bulkLoad: false);
        }
    }

    /// <summary>Drops the queue entries the index has applied.</summary>
    public void PruneQueue()
    {
        using var tx = _articles.BeginTransaction();
        IndexQueueStore.Prune(_articles, Applied, tx);
        tx.Commit();
    }

    public void Dispose()
    {
        _articles.Dispose();
        _index.Dispose();
    }
}
