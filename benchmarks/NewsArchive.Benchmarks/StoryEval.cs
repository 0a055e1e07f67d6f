using System.Diagnostics;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Storage;

/// <summary>
/// Story threads' quality offline (docs/stories.md): threads a built archive (NEWSARCHIVE_BENCH_DB,
/// the dev corpus ingested by the CLI) under the shipped rule or a variant, and scores the threads
/// against the labelled pairs of docs/stories-sample*.tsv: recall over the labelled one-event
/// candidate pairs (those drawn from candidates, not from some rule's threads), the labelled
/// not-one-event candidate pairs it threads, every labelled pair it threads, and the threads' sizes.
///   stories [--features words|pairs] [--floor F,…] [--threshold T,…] [--same-outlet S] [--same-days D] [--half-life DAYS] [--title-weight W] [--list] [--draw N --seed S --out FILE]
/// --features pairs: the character pairs threading counted before jieba.NET's words.
/// Several floors and thresholds: every combination, the features and candidates computed once.
/// --draw: N pairs drawn at random from the threads of the (first) variant, each thread
/// contributing at most <see cref="PerThread"/> of its pairs, written for labelling with each
/// pair's titles and leads (the labels already known filled in).
/// </summary>
public static class StoryEval
{
    private const int PerThread = 5;

    private sealed record Label(string A, string B, bool Same, bool Candidate, string Files);

    public static void Run(string[] args)
    {
        string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        double[] Values(string name, double fallback) =>
            [.. Option(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)).Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        var floors = Values("--floor", StoryThreads.Floor);
        var thresholds = Values("--threshold", StoryThreads.Threshold);
        var sameOutlet = Values("--same-outlet", StoryThreads.SameOutletThreshold)[0];
        var sameWindow = (long)TimeSpan.FromDays(Values("--same-days", TimeSpan.FromMilliseconds(StoryThreads.SameOutletWindow).TotalDays)[0]).TotalMilliseconds;
        var docs = Option("--docs", "docs");
        // Likeness halves every this many days (the candidates are found under the shipped half-life, then discounted again).
        var halfLife = Values("--half-life", TimeSpan.FromMilliseconds(StoryThreads.HalfLife).TotalDays)[0];

        var sw = Stopwatch.StartNew();
        var db = new Database(BenchData.DbPath);
        List<StoryStore.Row> rows;
        Dictionary<string, long> ids;
        using (var c = db.OpenArticles())
        {
            var range = StoryStore.DateRange(c)!.Value;
            rows = [.. StoryStore.Dated(c, range.First, range.Last, StoryFeatures.TextPrefix)];
            ids = Dapper.SqlMapper.Query<(string Url, long Id)>(c, "SELECT url, id FROM articles").ToDictionary(r => r.Url, r => r.Id);
        }
        // A title's words counted this many times a lead's (the shipped features with the title's counted again).
        var titleWeight = Values("--title-weight", StoryFeatures.TitleWeight)[0];
        Func<string, string, Dictionary<long, float>> featured = Option("--features", "words") == "pairs"
            ? Pairs
            : (title, text) =>
            {
                var terms = StoryFeatures.Of(title, text, Transliterations.Shipped);
                foreach (var (t, n) in StoryFeatures.Of(title, "", Transliterations.Shipped))
                {
                    terms[t] += (float)(n * (titleWeight / StoryFeatures.TitleWeight - 1));
                }
                return terms;
            };
        var items = rows.AsParallel().AsOrdered()
            .Select(r => new StoryItem(r.Id, r.Published, r.Outlet, featured(r.Title, r.Text))).ToList();
        var weights = StoryWeights.Of(items.Select(i => i.Terms.Keys));
        var published = items.ToDictionary(i => i.Id, i => i.Published);
        var read = sw.Elapsed;
        sw.Restart();
        var candidates = StoryThreads.Candidates(items, weights, floors.Min() * Math.Min(1, halfLife / TimeSpan.FromMilliseconds(StoryThreads.HalfLife).TotalDays))
            .Select(l => l with { Similarity = l.Similarity * Math.Pow(0.5, l.Apart / TimeSpan.FromDays(halfLife).TotalMilliseconds - (double)l.Apart / StoryThreads.HalfLife) })
            .Where(l => l.Similarity >= floors.Min()).ToList();
        Console.WriteLine($"{items.Count} articles read and featured in {read.TotalSeconds:F1} s; {candidates.Count} candidate pairs ≥ {floors.Min()} in {sw.Elapsed.TotalSeconds:F1} s");

        var labels = Labels(docs);
        Console.WriteLine($"{labels.Count} labelled pairs ({labels.Count(l => l.Candidate && l.Same)} one-event and {labels.Count(l => l.Candidate && !l.Same)} other candidate pairs)");
        // How the pairs' likeness alone tells the labelled candidate pairs apart (pairs, not threads).
        var likeness = candidates.ToDictionary(l => (l.A, l.B), l => l.Similarity);
        double Likeness(Label l) => ids.TryGetValue(l.A, out var a) && ids.TryGetValue(l.B, out var b) ? likeness.GetValueOrDefault((Math.Min(a, b), Math.Max(a, b))) : 0;
        var labelled = labels.Where(l => l.Candidate).Select(l => (l.Same, Likeness: Likeness(l))).ToList();
        Console.WriteLine("pairs at least as alike as: " + string.Join(", ", new[] { 0.05, 0.08, 0.10, 0.12, 0.15, 0.20, 0.25 }.Select(x =>
            $"{x:F2} {labelled.Count(p => p.Same && p.Likeness >= x)} one-event/{labelled.Count(p => !p.Same && p.Likeness >= x)} other")));
        Dictionary<long, long>? first = null;
        List<StoryThreads.Link>? firstLinks = null;
        foreach (var floor in floors)
        {
            var links = candidates.Where(l => l.Similarity >= floor && (!l.SameOutlet || (l.Similarity >= sameOutlet && l.Apart <= sameWindow))).ToList();
            foreach (var threshold in thresholds)
            {
                sw.Restart();
                var threads = StoryThreads.Threads(published, links, threshold);
                var took = sw.Elapsed;
                long Of(long id) => threads.GetValueOrDefault(id, id);
                var scored = labels.Select(l => (l, Threaded: ids.TryGetValue(l.A, out var a) && ids.TryGetValue(l.B, out var b) && Of(a) == Of(b))).ToList();
                int Count(Func<(Label l, bool Threaded), bool> p) => scored.Count(p);
                var sizes = threads.Values.GroupBy(t => t).Select(g => g.Count()).ToList();
                var pairs = sizes.Sum(s => (long)s * (s - 1) / 2);
                // The largest group of articles linked to each other by links that can join two threads: what an ingest may have to thread again whole.
                var binding = links.Where(l => l.Similarity >= threshold).ToList();
                var group = binding.SelectMany(l => new[] { l.A, l.B }).Distinct().ToDictionary(x => x, x => x);
                long Root(long x) => group[x] == x ? x : group[x] = Root(group[x]);
                foreach (var l in binding)
                {
                    group[Root(l.A)] = Root(l.B);
                }
                var largest = group.Keys.GroupBy(Root).Select(g => g.Count()).DefaultIfEmpty(0).Max();
                Console.WriteLine(
                    $"floor {floor:F2} threshold {threshold:F2}: recall {Count(s => s.l.Candidate && s.l.Same && s.Threaded)}/{Count(s => s.l.Candidate && s.l.Same)}"
                    + $" = {(double)Count(s => s.l.Candidate && s.l.Same && s.Threaded) / Count(s => s.l.Candidate && s.l.Same):F2},"
                    + $" wrong candidate pairs threaded {Count(s => s.l.Candidate && !s.l.Same && s.Threaded)}/{Count(s => s.l.Candidate && !s.l.Same)},"
                    + $" labelled pairs threaded one event {Count(s => s.l.Same && s.Threaded)}/{Count(s => s.Threaded)}"
                    + $" ({string.Join(", ", scored.SelectMany(s => s.l.Files.Split(' ').Select(f => (File: f, s.l.Same, s.Threaded))).GroupBy(x => x.File).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count(x => x.Same && x.Threaded)}/{g.Count(x => x.Threaded)}"))});"
                    + $" {sizes.Count(s => s > 1)} threads of {sizes.Where(s => s > 1).Sum()} articles, {pairs} pairs,"
                    + $" sizes 2:{sizes.Count(s => s == 2)} 3-5:{sizes.Count(s => s is >= 3 and <= 5)} 6-10:{sizes.Count(s => s is >= 6 and <= 10)} 11-20:{sizes.Count(s => s is >= 11 and <= 20)} >20:{sizes.Count(s => s > 20)} max {sizes.DefaultIfEmpty(0).Max()};"
                    + $" largest linked group {largest}; {took.TotalMilliseconds:F0} ms");
                if (args.Contains("--list"))
                {
                    // The candidate pairs it gets wrong: one event apart, or another threaded.
                    foreach (var (l, threaded) in scored.Where(s => s.l.Candidate && s.l.Same != s.Threaded))
                    {
                        Console.WriteLine($"  {(l.Same ? "apart" : "threaded")} {Likeness(l):F3} {l.A} {l.B}");
                    }
                }
                first ??= threads;
                firstLinks ??= links;
            }
        }
        if (args.Contains("--draw"))
        {
            Draw(int.Parse(Option("--draw", "100"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Option("--seed", "29"), System.Globalization.CultureInfo.InvariantCulture),
                Option("--out", "stories-draw.tsv"), rows, first!, firstLinks!, ids, labels);
        }
    }

    /// <summary>
    /// What threading counted before jieba.NET's words (docs/stories.md), kept to compare: the same
    /// folded title and lead, Chinese runs as character pairs (two chars' codes), other text as
    /// words (64-bit FNV-1a, top bit set, so the two never meet).
    /// </summary>
    private static Dictionary<long, float> Pairs(string title, string text)
    {
        var terms = new Dictionary<long, float>();
        void Add(string folded, float weight)
        {
            void Count(long term) => terms[term] = terms.GetValueOrDefault(term) + weight;
            var i = 0;
            while (i < folded.Length)
            {
                var j = i + 1;
                if (NewsArchive.Web.Text.Folding.IsCjk(folded[i]))
                {
                    while (j < folded.Length && NewsArchive.Web.Text.Folding.IsCjk(folded[j]))
                    {
                        j++;
                    }
                    for (var k = i; k + 1 < j; k++)
                    {
                        Count(((long)folded[k] << 16) | folded[k + 1]);
                    }
                }
                else if (char.IsLetterOrDigit(folded[i]))
                {
                    while (j < folded.Length && char.IsLetterOrDigit(folded[j]) && !NewsArchive.Web.Text.Folding.IsCjk(folded[j]))
                    {
                        j++;
                    }
                    if (j - i >= 2)
                    {
                        var h = 14695981039346656037UL;
                        foreach (var c in folded.AsSpan(i, j - i))
                        {
                            h = (h ^ c) * 1099511628211UL;
                        }
                        Count((long)(h | (1UL << 63)));
                    }
                }
                i = j;
            }
        }
        var names = Transliterations.Shipped;
        Add(names.Canonical(NewsArchive.Web.Text.Folding.Fold(title)), StoryFeatures.TitleWeight);
        var start = NewsText.Span(title, text).Start;
        Add(names.Canonical(NewsArchive.Web.Text.Folding.Fold(text.Substring(start, Math.Min(StoryFeatures.LeadChars, text.Length - start)))), 1);
        return terms;
    }

    /// <summary>Every labelled pair of the sample files (a file without drawn_from was drawn from threads), by its two URLs in order.</summary>
    private static List<Label> Labels(string docs)
    {
        var labels = new Dictionary<(string, string), Label>();
        foreach (var file in Directory.EnumerateFiles(docs, "stories-sample*.tsv").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            var head = lines[0].Split('\t').Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i);
            foreach (var cells in lines.Skip(1).Select(l => l.Split('\t')))
            {
                var (a, b) = (cells[head["a_url"]], cells[head["b_url"]]);
                if (string.CompareOrdinal(a, b) > 0)
                {
                    (a, b) = (b, a);
                }
                var candidate = head.TryGetValue("drawn_from", out var d) && cells[d] == "candidate";
                var label = new Label(a, b, cells[head["same_event"]] == "yes", candidate, Path.GetFileName(file));
                if (labels.TryGetValue((a, b), out var known))
                {
                    if (known.Same != label.Same)
                    {
                        Console.WriteLine($"conflicting labels: {a} {b}");
                    }
                    label = label with { Candidate = known.Candidate || candidate, Files = known.Files + " " + label.Files };
                }
                labels[(a, b)] = label;
            }
        }
        return [.. labels.Values];
    }

    private static void Draw(int n, int seed, string path, List<StoryStore.Row> rows, Dictionary<long, long> threads, List<StoryThreads.Link> links, Dictionary<string, long> ids, List<Label> labels)
    {
        var random = new Random(seed);
        var byId = rows.ToDictionary(r => r.Id);
        var urls = ids.ToDictionary(p => p.Value, p => p.Key);
        var likeness = links.ToDictionary(l => (l.A, l.B), l => l.Similarity);
        var known = labels.ToDictionary(l => (l.A, l.B), l => l.Same);
        var pool = new List<(long A, long B)>();
        foreach (var members in threads.GroupBy(p => p.Value).OrderBy(g => g.Key).Select(g => g.Select(p => p.Key).Order().ToList()).Where(m => m.Count > 1))
        {
            var pairs = members.SelectMany((a, i) => members.Skip(i + 1).Select(b => (a, b))).ToList();
            pool.AddRange(pairs.OrderBy(_ => random.Next()).Take(PerThread));
        }
        using var w = new StreamWriter(path);
        w.WriteLine("n\tdrawn_from\tsimilarity\tthreaded\tsame_event\ta_date\ta_outlet\ta_url\tb_date\tb_outlet\tb_url");
        using var text = new StreamWriter(Path.ChangeExtension(path, ".txt"));
        var k = 0;
        foreach (var (a, b) in pool.OrderBy(_ => random.Next()).Take(n))
        {
            var (ra, rb) = (byId[a], byId[b]);
            var (ua, ub) = string.CompareOrdinal(urls[a], urls[b]) <= 0 ? (urls[a], urls[b]) : (urls[b], urls[a]);
            var label = known.TryGetValue((ua, ub), out var same) ? (same ? "yes" : "no") : "";
            static string Day(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            w.WriteLine($"{k}\tthread\t{likeness.GetValueOrDefault((a, b)):F3}\tyes\t{label}\t{Day(ra.Published)}\t{ra.Outlet}\t{urls[a]}\t{Day(rb.Published)}\t{rb.Outlet}\t{urls[b]}");
            static string Lead(StoryStore.Row r)
            {
                var (start, end) = NewsText.Span(r.Title, r.Text);
                return r.Text.Substring(start, Math.Min(160, end - start)).ReplaceLineEndings(" ");
            }
            text.WriteLine($"#{k} [{label}] {likeness.GetValueOrDefault((a, b)):F3}\n  A {Day(ra.Published)} {ra.Outlet}: {ra.Title} | {Lead(ra)}\n  B {Day(rb.Published)} {rb.Outlet}: {rb.Title} | {Lead(rb)}");
            k++;
        }
    }
}
