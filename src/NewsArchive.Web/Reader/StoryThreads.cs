namespace NewsArchive.Web.Reader;

/// <summary>An article as threading sees it: its id, its date (Unix ms), its outlet and its terms (<see cref="StoryFeatures"/>).</summary>
public sealed record StoryItem(long Id, long Published, string Outlet, IReadOnlyDictionary<long, float> Terms);

/// <summary>
/// Threads: articles whose titles and leads are alike (cosine of TF-IDF vectors, discounted by the
/// days between them, at least <see cref="Floor"/>, or <see cref="SameOutletThreshold"/> for one
/// outlet's) and dated within <see cref="Window"/> are linked; threads join by average linkage
/// (<see cref="Threads"/>) while all their articles stay within the window of each other. A
/// thread's id is its smallest article id. Every step is ordered by likeness, then ids, so the
/// threads are a function of the articles and the weights alone.
/// </summary>
public static class StoryThreads
{
    /// <summary>Two articles of two outlets at least this alike are linked: their likeness counts in their threads' average.</summary>
    public const double Floor = 0.10;

    /// <summary>Two threads join while their cross pairs' average likeness is at least this.</summary>
    public const double Threshold = 0.25;

    /// <summary>One outlet writes alike of its related stories (the day's market, an ongoing case): its own two articles must be more alike.</summary>
    public const double SameOutletThreshold = 0.25;

    public static readonly long Window = (long)TimeSpan.FromDays(30).TotalMilliseconds;

    /// <summary>
    /// How far apart two articles of one outlet may be and link: further apart, alike headlines of
    /// one outlet are its recurring columns (a daily rate, a weekly round-up), not one event.
    /// </summary>
    public static readonly long SameOutletWindow = (long)TimeSpan.FromDays(2).TotalMilliseconds;

    /// <summary>
    /// Likeness halves every this many days apart: one event's reports come within days, while
    /// the alike stories of a running topic (a daily count, a series of incursions) go on for weeks.
    /// </summary>
    public static readonly long HalfLife = (long)TimeSpan.FromDays(5).TotalMilliseconds;

    /// <summary>Two articles' likeness (the cosine, discounted by <see cref="HalfLife"/>): ids A &lt; B, whether they are of one outlet, and how far apart (ms).</summary>
    public readonly record struct Link(long A, long B, double Similarity, bool SameOutlet, long Apart)
    {
        public bool Counts => SameOutlet ? Similarity >= SameOutletThreshold && Apart <= SameOutletWindow : Similarity >= Floor;

        /// <summary>
        /// Whether it can join two threads: their average is at least <see cref="Threshold"/> only if one of their
        /// links is, so threads never cross the groups such links form, and each group can be threaded alone.
        /// </summary>
        public bool Binds => Similarity >= Threshold;
    }

    /// <summary>Every pair of <paramref name="items"/> within the window alike enough to link, A &lt; B.</summary>
    public static List<Link> Links(IReadOnlyList<StoryItem> items, StoryWeights weights) =>
        Candidates(items, weights, Floor).Where(l => l.Counts).ToList();

    /// <summary>Every pair of <paramref name="items"/> within the window at least <paramref name="floor"/> alike, A &lt; B.</summary>
    public static List<Link> Candidates(IReadOnlyList<StoryItem> items, StoryWeights weights, double floor)
    {
        var sorted = items.OrderBy(i => i.Published).ThenBy(i => i.Id).ToArray();
        if (sorted.Length == 0)
        {
            // An archive of undated articles only: nothing to link (and no range to partition).
            return [];
        }
        // Each distinct term's id and idf (0: too common to count), looked up once.
        var termIds = new Dictionary<long, int>();
        var idfs = new List<double>();
        var vectors = new (int Term, double Weight)[sorted.Length][];
        for (var i = 0; i < sorted.Length; i++)
        {
            var v = new List<(int, double)>(sorted[i].Terms.Count);
            var norm = 0.0;
            foreach (var (term, tf) in sorted[i].Terms)
            {
                if (!termIds.TryGetValue(term, out var id))
                {
                    termIds[term] = id = termIds.Count;
                    idfs.Add(weights.Idf(term));
                }
                if (idfs[id] > 0)
                {
                    var w = (1 + Math.Log(tf)) * idfs[id];
                    norm += w * w;
                    v.Add((id, w));
                }
            }
            norm = Math.Sqrt(norm);
            vectors[i] = [.. v.Select(p => (p.Item1, p.Item2 / norm))];
        }
        // Postings in date order: an article's candidates are the later entries of its terms' lists
        // within reach; where its own entry is in each list is kept, so every article is walked alone.
        var postings = new List<(int Item, double Weight)>[termIds.Count];
        var own = new int[sorted.Length][];
        for (var i = 0; i < sorted.Length; i++)
        {
            own[i] = new int[vectors[i].Length];
            for (var k = 0; k < vectors[i].Length; k++)
            {
                var (t, w) = vectors[i][k];
                var list = postings[t] ??= [];
                own[i][k] = list.Count;
                list.Add((i, w));
            }
        }
        // Further apart than this, even identical articles' discounted likeness is under the floor.
        var reach = Math.Min(Window, (long)(HalfLife * Math.Log2(1 / floor)));
        var links = new List<Link>();
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, sorted.Length, 256), range =>
        {
            var dot = new double[sorted.Length];
            var touched = new List<int>();
            var found = new List<Link>();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var until = sorted[i].Published + reach;
                for (var k = 0; k < vectors[i].Length; k++)
                {
                    var (t, w) = vectors[i][k];
                    var list = postings[t];
                    for (var p = own[i][k] + 1; p < list.Count && sorted[list[p].Item].Published <= until; p++)
                    {
                        var j = list[p].Item;
                        if (dot[j] == 0)
                        {
                            touched.Add(j);
                        }
                        dot[j] += w * list[p].Weight;
                    }
                }
                foreach (var j in touched)
                {
                    var apart = sorted[j].Published - sorted[i].Published;
                    var similarity = dot[j] * Math.Pow(0.5, (double)apart / HalfLife);
                    if (similarity >= floor)
                    {
                        var (a, b) = (sorted[i].Id, sorted[j].Id);
                        found.Add(new Link(Math.Min(a, b), Math.Max(a, b), similarity, sorted[i].Outlet == sorted[j].Outlet, apart));
                    }
                    dot[j] = 0;
                }
                touched.Clear();
            }
            lock (links)
            {
                links.AddRange(found);
            }
        });
        // In one order whatever the threads' turns: the callers' outcome must not depend on them.
        links.Sort((x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        return links;
    }

    /// <summary>
    /// The thread id of each linked item (its thread's smallest id), by average linkage: the two
    /// threads whose cross pairs are most alike on average (a pair not linked counting 0) join,
    /// while that average is at least <paramref name="threshold"/> and all their articles stay within
    /// the window of each other. A running topic's articles are each alike to the next, not to all
    /// the others, so it does not chain into one thread as under single linkage.
    /// </summary>
    public static Dictionary<long, long> Threads(IReadOnlyDictionary<long, long> published, IEnumerable<Link> links, double threshold = Threshold)
    {
        // Each live thread (by its smallest id): its size, its dates, and the sum of its links to each other thread.
        var size = new Dictionary<long, int>();
        var span = new Dictionary<long, (long First, long Last)>();
        var sums = new Dictionary<long, Dictionary<long, double>>();
        var parent = new Dictionary<long, long>();
        void Add(long a, long b, double s)
        {
            foreach (var x in (ReadOnlySpan<long>)[a, b])
            {
                if (parent.TryAdd(x, x))
                {
                    size[x] = 1;
                    span[x] = (published[x], published[x]);
                    sums[x] = [];
                }
            }
            sums[a][b] = sums[a].GetValueOrDefault(b) + s;
            sums[b][a] = sums[b].GetValueOrDefault(a) + s;
        }
        foreach (var l in links)
        {
            Add(l.A, l.B, l.Similarity);
        }
        // Most alike first, then by ids; an entry whose threads have changed since is stale and skipped.
        var version = parent.Keys.ToDictionary(x => x, _ => 0);
        var queue = new PriorityQueue<(long A, long B, int VA, int VB), (double, long, long)>();
        void Offer(long a, long b)
        {
            var (x, y) = a < b ? (a, b) : (b, a);
            var average = sums[x][y] / ((double)size[x] * size[y]);
            if (average >= threshold)
            {
                queue.Enqueue((x, y, version[x], version[y]), (-average, x, y));
            }
        }
        foreach (var (a, near) in sums)
        {
            foreach (var b in near.Keys.Where(b => a < b))
            {
                Offer(a, b);
            }
        }
        while (queue.TryDequeue(out var e, out _))
        {
            if (parent[e.A] != e.A || parent[e.B] != e.B || version[e.A] != e.VA || version[e.B] != e.VB)
            {
                continue;
            }
            var joined = (Math.Min(span[e.A].First, span[e.B].First), Math.Max(span[e.A].Last, span[e.B].Last));
            if (joined.Item2 - joined.Item1 > Window)
            {
                continue;
            }
            // The smaller id is the root, so a thread's id is its smallest article's.
            var (root, child) = (e.A, e.B);
            parent[child] = root;
            size[root] += size[child];
            span[root] = joined;
            version[root]++;
            sums[root].Remove(child);
            foreach (var (k, s) in sums[child])
            {
                if (k != root)
                {
                    sums[root][k] = sums[root].GetValueOrDefault(k) + s;
                    sums[k].Remove(child);
                    sums[k][root] = sums[root][k];
                }
            }
            sums.Remove(child);
            foreach (var k in sums[root].Keys)
            {
                Offer(root, k);
            }
        }
        long Find(long x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        return parent.Keys.ToDictionary(x => x, Find);
    }
}
