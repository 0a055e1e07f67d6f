using System.IO.Compression;
using System.Text;

namespace NewsArchive.Web.Reader;

/// <summary>An article as threading sees it: its id, its date (Unix ms), its outlet and its terms (<see cref="StoryFeatures"/>).</summary>
public sealed record StoryItem(long Id, long Published, string Outlet, IReadOnlyDictionary<string, float> Terms);

/// <summary>
/// How rare each term is in the archive: in how many of its articles' titles and leads it is.
/// Computed from the whole archive by <c>stories rebuild</c> (and by an ingest that grew the
/// archive by a quarter) and used as it is until then, so the threads an ingest forms do not
/// depend on the order the articles came in.
/// </summary>
public sealed class StoryWeights(int articles, Dictionary<string, int> frequencies)
{
    public int Articles { get; } = articles;

    /// <summary>A term in more than this share of the articles counts neither in similarity nor in finding candidates (each would be a long list to walk).</summary>
    public const double CommonShare = 0.05;

    /// <summary>In a small archive, a term in this many articles still counts: the lists are short, and the share says little.</summary>
    public const int CommonFloor = 20;

    // Terms seen once are not kept: an unknown term is as rare as one seen once.
    private readonly Dictionary<string, int> _frequencies = frequencies;

    public static StoryWeights Of(IEnumerable<IEnumerable<string>> articles)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var n = 0;
        foreach (var terms in articles)
        {
            n++;
            foreach (var t in terms)
            {
                df[t] = df.GetValueOrDefault(t) + 1;
            }
        }
        return new StoryWeights(n, df.Where(p => p.Value > 1).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>The inverse document frequency; 0 for a term too common to tell stories apart.</summary>
    public double Idf(string term)
    {
        var df = Math.Max(1, _frequencies.GetValueOrDefault(term));
        return df > Math.Max(CommonFloor, CommonShare * Articles) ? 0 : Math.Log((Articles + 1.0) / df);
    }

    /// <summary>The weights as stored (gzip of "articles" then "term\tcount" lines).</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest))
        using (var w = new StreamWriter(gz, new UTF8Encoding(false)))
        {
            w.Write(Articles);
            w.Write('\n');
            foreach (var (t, df) in _frequencies.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.Write(t);
                w.Write('\t');
                w.Write(df);
                w.Write('\n');
            }
        }
        return buffer.ToArray();
    }

    public static StoryWeights FromBytes(byte[] bytes)
    {
        using var r = new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress), Encoding.UTF8);
        var n = int.Parse(r.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        while (r.ReadLine() is { } line)
        {
            var tab = line.LastIndexOf('\t');
            df[line[..tab]] = int.Parse(line.AsSpan(tab + 1), System.Globalization.CultureInfo.InvariantCulture);
        }
        return new StoryWeights(n, df);
    }
}

/// <summary>
/// Threads: articles whose titles and leads are alike (cosine of TF-IDF vectors, discounted by the
/// days between them, at least
/// <see cref="Threshold"/>, or <see cref="SameOutletThreshold"/> for one outlet's) and dated within
/// <see cref="Window"/> are linked; links are taken from
/// the most alike down, and one joins two threads only while all their articles stay within the
/// window of each other. A thread's id is its smallest article id. Every step is ordered by
/// similarity, then ids, so the threads are a function of the articles and the weights alone.
/// </summary>
public static class StoryThreads
{
    public const double Threshold = 0.25;

    /// <summary>One outlet writes alike of its related stories (the day's market, an ongoing case): its own two articles must be more alike.</summary>
    public const double SameOutletThreshold = 0.35;

    public static readonly long Window = (long)TimeSpan.FromDays(30).TotalMilliseconds;

    /// <summary>
    /// How far apart two articles of one outlet may be and link: further apart, alike headlines of
    /// one outlet are its recurring columns (a daily rate, a weekly round-up), not one event.
    /// </summary>
    public static readonly long SameOutletWindow = (long)TimeSpan.FromDays(3).TotalMilliseconds;

    /// <summary>
    /// Likeness halves every this many days apart: one event's reports come within days, while
    /// the alike stories of a running topic (a daily count, a series of incursions) go on for weeks.
    /// </summary>
    public static readonly long HalfLife = (long)TimeSpan.FromDays(10).TotalMilliseconds;

    /// <summary>Two articles' likeness (the cosine, discounted by <see cref="HalfLife"/>): ids A &lt; B, whether they are of one outlet, and how far apart (ms).</summary>
    public readonly record struct Link(long A, long B, double Similarity, bool SameOutlet, long Apart)
    {
        public bool Joins => SameOutlet ? Similarity >= SameOutletThreshold && Apart <= SameOutletWindow : Similarity >= Threshold;
    }

    /// <summary>Every pair of <paramref name="items"/> within the window alike enough to link, A &lt; B.</summary>
    public static List<Link> Links(IReadOnlyList<StoryItem> items, StoryWeights weights) =>
        Candidates(items, weights, Threshold).Where(l => l.Joins).ToList();

    /// <summary>Every pair of <paramref name="items"/> within the window at least <paramref name="floor"/> alike, A &lt; B.</summary>
    public static List<Link> Candidates(IReadOnlyList<StoryItem> items, StoryWeights weights, double floor)
    {
        var sorted = items.OrderBy(i => i.Published).ThenBy(i => i.Id).ToArray();
        var termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var vectors = new (int Term, double Weight)[sorted.Length][];
        for (var i = 0; i < sorted.Length; i++)
        {
            var v = new List<(int, double)>();
            var norm = 0.0;
            foreach (var (term, tf) in sorted[i].Terms)
            {
                var idf = weights.Idf(term);
                if (idf > 0)
                {
                    var w = (1 + Math.Log(tf)) * idf;
                    norm += w * w;
                    if (!termIds.TryGetValue(term, out var id))
                    {
                        termIds[term] = id = termIds.Count;
                    }
                    v.Add((id, w));
                }
            }
            norm = Math.Sqrt(norm);
            vectors[i] = [.. v.Select(p => (p.Item1, p.Item2 / norm))];
        }
        // Postings in date order: an article's candidates are the later entries of its terms' lists within the window.
        var postings = new List<(int Item, double Weight)>[termIds.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            foreach (var (t, w) in vectors[i])
            {
                (postings[t] ??= []).Add((i, w));
            }
        }
        var cursor = new int[termIds.Count];
        var dot = new double[sorted.Length];
        var touched = new List<int>();
        var links = new List<Link>();
        for (var i = 0; i < sorted.Length; i++)
        {
            var until = sorted[i].Published + Window;
            foreach (var (t, w) in vectors[i])
            {
                var list = postings[t];
                // The lists are walked forward once each: i's own entry is at the cursor.
                var p = ++cursor[t];
                for (; p < list.Count && sorted[list[p].Item].Published <= until; p++)
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
                    links.Add(new Link(Math.Min(a, b), Math.Max(a, b), similarity, sorted[i].Outlet == sorted[j].Outlet, apart));
                }
                dot[j] = 0;
            }
            touched.Clear();
        }
        return links;
    }

    /// <summary>The thread id of each linked item (its thread's smallest id), from the links taken most alike first.</summary>
    public static Dictionary<long, long> Threads(IReadOnlyDictionary<long, long> published, IEnumerable<Link> links)
    {
        var parent = new Dictionary<long, long>();
        var span = new Dictionary<long, (long First, long Last)>();
        long Find(long x)
        {
            if (!parent.TryGetValue(x, out var p))
            {
                parent[x] = x;
                span[x] = (published[x], published[x]);
                return x;
            }
            return p == x ? x : parent[x] = Find(p);
        }
        foreach (var l in links.OrderByDescending(l => l.Similarity).ThenBy(l => l.A).ThenBy(l => l.B))
        {
            var (a, b) = (Find(l.A), Find(l.B));
            if (a == b)
            {
                continue;
            }
            var (sa, sb) = (span[a], span[b]);
            var joined = (Math.Min(sa.First, sb.First), Math.Max(sa.Last, sb.Last));
            if (joined.Item2 - joined.Item1 > Window)
            {
                continue;
            }
            // The smaller id is the root, so a thread's id is its smallest article's.
            var (root, child) = a < b ? (a, b) : (b, a);
            parent[child] = root;
            span[root] = joined;
        }
        return parent.Keys.ToDictionary(x => x, Find);
    }
}
