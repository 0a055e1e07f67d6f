using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>
/// Keeps articles.story_id the threads of <see cref="StoryThreads"/> over the whole archive
/// (docs/stories.md). After an ingest, only the neighbourhood of the articles it added or changed
/// is recomputed: the articles linked to them, directly or through others, which a date window
/// around them holds once no such article is within the link window of its edges. Threads are
/// formed over those linked groups whole, so the outcome is the one a rebuild with the same
/// weights gives, in whatever order the articles came.
/// </summary>
public sealed class StoryThreading(Database db, Transliterations names)
{
    /// <summary>The weights are computed again once the archive has grown by this share since they were.</summary>
    private const double Growth = 0.25;

    private const int WriteBatch = 1000;

    public Action<string>? OnProgress { get; init; }

    /// <summary>
    /// Articles threaded in one pass at most: a pass holds their features and their neighbourhood's,
    /// so a large archive's first threading (hundreds of thousands of articles) goes in parts. Each
    /// part threads whole bound groups, so the parts give what one pass would.
    /// </summary>
    public int Part { get; init; } = 20_000;

    /// <summary>An article's features computed before its row was read (by the ingest that stored it), with the title they were computed from.</summary>
    public sealed record Fresh(string Title, StoryItem Item);

    /// <summary>
    /// Features already computed, by article id: a row not threaded since, of the same title, date
    /// and outlet, is not read and folded again (an ingest's parser threads fold every article anyway).
    /// </summary>
    public IReadOnlyDictionary<long, Fresh> Computed { get; init; } = new Dictionary<long, Fresh>();

    /// <summary>
    /// An article's features as threading computes them from its row: the title and the text's first
    /// <see cref="StoryFeatures.TextPrefix"/> characters, counted as SQL's substr counts them (code points).
    /// </summary>
    public static Dictionary<long, float> Features(string title, string text, Transliterations names)
    {
        var end = 0;
        for (var n = 0; n < StoryFeatures.TextPrefix && end < text.Length; n++)
        {
            end += char.IsSurrogatePair(text, end) ? 2 : 1;
        }
        return StoryFeatures.Of(title, text[..end], names);
    }

    /// <summary>Threads the articles not yet threaded (a rebuild first, when the weights are missing or old); how many changed thread.</summary>
    /// <param name="rebuild">False: never a rebuild (a takedown's few articles; the next ingest weighs the archive again), only a threading with the stored weights.</param>
    public int Update(bool rebuild = true)
    {
        using var c = db.OpenArticles();
        StoryStore.ThreadUndated(c);
        var stored = StoryStore.Weights(c);
        if (stored is not null && StoryStore.Unthreaded(c).Count == 0)
        {
            return 0;
        }
        if (stored is null || StoryStore.DatedCount(c) > stored.Value.Articles * (1 + Growth))
        {
            return rebuild ? Rebuild() : stored is null ? 0 : Thread(c, StoryWeights.FromBytes(stored.Value.Terms), StoryStore.Unthreaded(c), all: false);
        }
        return Thread(c, StoryWeights.FromBytes(stored.Value.Terms), StoryStore.Unthreaded(c), all: false);
    }

    /// <summary>The weights from the whole archive (one pass that keeps only the counts), then every article threaded again in parts; how many changed thread.</summary>
    public int Rebuild()
    {
        using var c = db.OpenArticles();
        StoryStore.ThreadUndated(c);
        var weights = StoryWeights.Of(StoryStore.DateRange(c) is { } r ? Terms(c, r) : []);
        StoryStore.SetWeights(c, weights.Articles, weights.ToBytes());
        return Thread(c, weights, StoryStore.DatedTimes(c), all: true);
    }

    /// <summary>Every dated article's terms, folded <see cref="Part"/> at a time and not kept.</summary>
    private IEnumerable<IEnumerable<long>> Terms(System.Data.Common.DbConnection c, (long First, long Last) range)
    {
        foreach (var part in StoryStore.Dated(c, range.First, range.Last, StoryFeatures.TextPrefix).Chunk(Part))
        {
            foreach (var (item, _) in Featured(part))
            {
                yield return item.Terms.Keys;
            }
        }
    }

    /// <summary>
    /// Threads the articles dated <paramref name="times"/> (ordered) with their neighbourhoods, in
    /// parts: apart where they are far apart in time, and every <see cref="Part"/> articles.
    /// <paramref name="all"/>: every article of a part is threaded again, not only the unthreaded.
    /// </summary>
    private int Thread(System.Data.Common.DbConnection c, StoryWeights weights, List<long> times, bool all)
    {
        if (times.Count == 0 || StoryStore.DateRange(c) is not { } archive)
        {
            return 0;
        }
        var changed = 0;
        var start = 0;
        for (var i = 1; i <= times.Count; i++)
        {
            if (i == times.Count || times[i] - times[i - 1] > 4 * StoryThreads.Window || (i - start >= Part && times[i] != times[i - 1]))
            {
                changed += Neighbourhood(c, weights, times[start], times[i - 1], archive, all);
                start = i;
            }
        }
        return changed;
    }

    private int Neighbourhood(System.Data.Common.DbConnection c, StoryWeights weights, long first, long last, (long First, long Last) archive, bool all)
    {
        var window = StoryThreads.Window;
        var (from, to) = (first - 2 * window, last + 2 * window);
        var rows = Featured(StoryStore.Dated(c, from, to, StoryFeatures.TextPrefix));
        while (true)
        {
            var items = rows.Select(r => r.Item).ToList();
            var links = StoryThreads.Links(items, weights);
            var groups = Groups(items, links);
            var stale = rows.Where(r => all ? r.Item.Published >= first && r.Item.Published <= last : r.StoryId is null)
                .Select(r => groups[r.Item.Id]).ToHashSet();
            var members = rows.Where(r => stale.Contains(groups[r.Item.Id])).ToList();
            // A linked group near the window's edge may reach past it: look wider until none does.
            var wider = (members.Any(m => m.Item.Published - window < from) && from > archive.First,
                         members.Any(m => m.Item.Published + window > to) && to < archive.Last);
            if (wider.Item1 || wider.Item2)
            {
                // Only the widening's rows are read and folded; the window's are kept.
                if (wider.Item1)
                {
                    rows.AddRange(Featured(StoryStore.Dated(c, from - 4 * window, from - 1, StoryFeatures.TextPrefix)));
                    from -= 4 * window;
                }
                if (wider.Item2)
                {
                    rows.AddRange(Featured(StoryStore.Dated(c, to + 1, to + 4 * window, StoryFeatures.TextPrefix)));
                    to += 4 * window;
                }
                continue;
            }
            var ids = members.Select(m => m.Item.Id).ToHashSet();
            var threads = StoryThreads.Threads(items.ToDictionary(i => i.Id, i => i.Published), links.Where(l => ids.Contains(l.A)));
            return Write(c, [.. members.Select(m => (m.Item.Id, m.StoryId, threads.GetValueOrDefault(m.Item.Id, m.Item.Id)))]);
        }
    }

    /// <summary>Each item's group of items bound by links that can join threads (any member's id; the group, not the id, matters).</summary>
    private static Dictionary<long, long> Groups(List<StoryItem> items, List<StoryThreads.Link> links)
    {
        var parent = items.ToDictionary(i => i.Id, i => i.Id);
        long Find(long x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        foreach (var l in links.Where(l => l.Binds))
        {
            parent[Find(l.A)] = Find(l.B);
        }
        return items.ToDictionary(i => i.Id, i => Find(i.Id));
    }

    private int Write(System.Data.Common.DbConnection c, List<(long Id, long? Was, long Now)> threads)
    {
        var changed = threads.Where(t => t.Was != t.Now).ToList();
        foreach (var chunk in changed.Chunk(WriteBatch))
        {
            using var tx = c.BeginTransaction();
            using var b = new IngestBatch(c, tx);
            foreach (var (id, _, now) in chunk)
            {
                StoryStore.Set(b, id, now);
            }
            tx.Commit();
        }
        return changed.Count;
    }

    /// <summary>The rows with their features, computed on every core (folding is most of threading's time) unless <see cref="Computed"/> has them.</summary>
    private List<(StoryItem Item, long? StoryId)> Featured(IEnumerable<StoryStore.Row> rows)
    {
        var read = new List<StoryStore.Row>();
        foreach (var r in rows)
        {
            read.Add(r);
            if (read.Count % 5000 == 0)
            {
                OnProgress?.Invoke($"stories: {read.Count} articles read");
            }
        }
        OnProgress?.Invoke($"stories: {read.Count} articles read");
        var known = read.ToDictionary(r => r.Id, r => Computed.GetValueOrDefault(r.Id) is { } f && r.StoryId is null
            && f.Title == r.Title && f.Item.Published == r.Published && f.Item.Outlet == r.Outlet ? f.Item : null);
        // Only the others are folded: a parallel query over none still waits for the thread pool's workers.
        var folded = read.Where(r => known[r.Id] is null).ToList();
        if (folded.Count > 0)
        {
            foreach (var item in folded.AsParallel().Select(r => new StoryItem(r.Id, r.Published, r.Outlet, Features(r.Title, r.Text, names))).ToList())
            {
                known[item.Id] = item;
            }
        }
        return [.. read.Select(r => (known[r.Id]!, r.StoryId))];
    }
}
