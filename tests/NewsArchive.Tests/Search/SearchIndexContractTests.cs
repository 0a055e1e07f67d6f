using System.Diagnostics;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Postgres;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Search;

/// <summary>
/// The contract of <see cref="ISearchIndex"/>, which every implementation passes: on the dev
/// corpus, whatever the backend of the run (SQLite's FTS5 index, or PostgreSQL's on the PostgreSQL
/// run), every query finds exactly what a brute-force scan of the articles' token streams finds.
/// </summary>
[Collection(DevCorpusCollection.Name)]
public sealed class SearchIndexContractTests(DevCorpusDb dev, ITestOutputHelper output)
{
    private const long Min = long.MinValue, Max = long.MaxValue;

    private static readonly string[] Hostile =
    [
        "\"中华人民共和国国务院新闻办公室今天举行发布会\"", "美国 -中国 -特朗普", "\"human rights\" -china", "Apple 蘋果 iphone",
        "vaccines policy", "鱼 雪", "x 国安", "\"x 国安\"", "o'brien", "c:\\path", "\"it's\"", "2021年 -2020年", "新冠 OR 肺炎",
        "\"the united states\"", "the", "的", "，", "“美国”", "香港 国安 -法", "美国 the -拜登", "NEAR(美国 中国)", "ＧＤＰ 增长",
    ];

    /// <summary>Trees the query language does not make: Related's OR of title terms, and nestings of every kind.</summary>
    private static readonly IndexQuery[] Trees =
    [
        IndexQuery.Any([IndexQuery.Of(IndexColumns.TitleGrams, "美国"), IndexQuery.Of(IndexColumns.TitleGrams, "拜登"), IndexQuery.Of(IndexColumns.TitleWords, "biden")]),
        new IndexQuery.Except(
            new IndexQuery.AllOf([IndexQuery.Any([IndexQuery.Of(IndexColumns.TitleWords, "trump"), IndexQuery.Of(IndexColumns.BodyWords, "trump")]), IndexQuery.Of(IndexColumns.Grams, "特朗")]),
            IndexQuery.Of(IndexColumns.BodyChars, "鱼")),
        new IndexQuery.AllOf([IndexQuery.Of(IndexColumns.Facets, Facets.LanguageToken("en")),
            IndexQuery.Any([IndexQuery.Of(IndexColumns.Words, "vaccine"), IndexQuery.Of(IndexColumns.Words, "vaccines"), IndexQuery.Of(IndexColumns.Grams, "疫苗")])]),
        new IndexQuery.Except(IndexQuery.Of(IndexColumns.Title, "香港"), new IndexQuery.AnyOf([IndexQuery.Of(IndexColumns.Grams, "国安"), IndexQuery.Of(IndexColumns.Chars, "法")])),
    ];

    private static IEnumerable<string> DevQueries() =>
        new[] { "queries-dev.tsv", "queries-dev-syntax.tsv" }.SelectMany(f => File.ReadLines(Path.Combine(TestData.Shared, "eval", f)))
            .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')[2]);

    private static IEnumerable<IndexQuery> Expressions(IEnumerable<string> queries, string outlet)
    {
        foreach (var q in queries)
        {
            var parsed = SearchQuery.Parse(q);
            if (parsed.Problem is not null)
            {
                continue;
            }
            foreach (var f in new[] { new ArticleFilter(), new ArticleFilter(Language: "zh-Hans"), new ArticleFilter(Outlet: outlet, Language: "en") })
            {
                if (IndexPlan.Of(parsed, f).Match is { } m)
                {
                    yield return m;
                }
            }
        }
    }

    // The articles and their brute-force reference, made once for the class's tests.
    private static (List<ArticleRow> Articles, BruteForce Reference)? s_corpus;
    private static readonly Lock CorpusGate = new();

    private (List<ArticleRow> Articles, BruteForce Reference) Corpus()
    {
        lock (CorpusGate)
        {
            if (s_corpus is null)
            {
                using var c = dev.Db.Open();
                var articles = ArticleStore.Page(c, new ArticleFilter(), 0, int.MaxValue).Select(a => ArticleStore.GetBySortKey(c, a.SortKey)!).ToList();
                s_corpus = (articles, new BruteForce(articles.Select(a => (a.SortKey, IndexDocument.Of(a).Row))));
            }
            return s_corpus.Value;
        }
    }

    [CorpusFact]
    public void Every_query_finds_exactly_what_a_scan_of_the_token_streams_finds() => AssertExact(dev.Db);

    /// <summary>
    /// The PostgreSQL run's index is RUM where the server has it (CI's has: scripts/install-test-deps.sh);
    /// GIN, which rechecks each candidate row, must find the same. The dev archive is switched to GIN
    /// and back (the tests of one collection run one at a time).
    /// </summary>
    [PostgresRunCorpusFact]
    public void On_PostgreSQL_without_RUM_every_query_still_finds_exactly_what_the_scan_finds()
    {
        var gin = new Database(dev.Db.Path, TestBackend.ConnectionFor(dev.Db.Path), rum: false);
        try
        {
            gin.Migrate();
            using (var c = gin.Open())
            {
                Assert.Equal("GIN", gin.Index.Describe(c).Kind);
            }
            AssertExact(gin);
        }
        finally
        {
            dev.Db.Migrate();
        }
    }

    private void AssertExact(Database db)
    {
        var (articles, reference) = Corpus();
        var index = db.Index;
        using var c = db.Open();
        var outlets = articles.ToDictionary(a => a.SortKey, a => a.Outlet);
        var outlet = articles.CountBy(a => a.Outlet).MaxBy(x => x.Value).Key;
        var expressions = Expressions(DevQueries().Concat(Hostile), outlet).Concat(Trees).ToList();
        Assert.True(expressions.Count > 100);
        var nonEmpty = 0;
        foreach (var m in expressions)
        {
            var want = reference.Find(m).OrderDescending().ToList();
            var message = $"{index.GetType().Name}: {m}";
            Assert.True(want.SequenceEqual(index.Newest(c, m, Min, Max, int.MaxValue, 0)), message);
            Assert.Equal(want.Count, index.Count(c, m, Min, Max));
            var (mid, page) = (want.Count > 2 ? want[want.Count / 2] : Min, Math.Min(want.Count, 50));
            Assert.Equal(want.Count(k => k >= mid), index.Count(c, m, mid, Max));
            Assert.Equal(want.Select(k => (outlets[k], k)).Order(), index.OutletsOfMatches(c, m, Min, Max).Order());
            Assert.Equal(want.Take(1000).Order(), index.Ranked(c, m, Min, Max, false, 1000, 1000, 0).Order());
            Assert.Equal(want.Take(page).Order(), index.Candidates(c, m, Min, Max, true, false, page).Order());
            Assert.Equal(articles.Count - want.Count, ArticleStore.CountOutside(c, new ArticleFilter(), index, m));
            nonEmpty += want.Count > 0 ? 1 : 0;
        }
        Assert.True(nonEmpty > expressions.Count / 2);
    }

    /// <summary>A title hit weighs more than one in the body: the first tenth are nearly all title hits, the last tenth nearly none.</summary>
    [CorpusFact]
    public void Ranked_puts_title_hits_first_and_times_the_dev_queries()
    {
        var (articles, _) = Corpus();
        var index = dev.Db.Index;
        using var c = dev.Db.Open();
        var titles = articles.ToDictionary(a => a.SortKey, a => Folding.Fold(a.Title));
        foreach (var term in new[] { "美国", "拜登", "香港" })
        {
            var m = IndexPlan.Of(SearchQuery.Parse(term), new ArticleFilter()).Match!;
            var ranked = index.Ranked(c, m, Min, Max, true, 1000, 1000, 0);
            var hits = ranked.Select(k => titles[k].Contains(term, StringComparison.Ordinal)).ToList();
            var tenth = hits.Count / 10;
            Assert.True(hits.Count(h => h) > tenth, term);
            Assert.True(hits.Take(tenth).Count(h => h) >= tenth * 0.9, term);
            Assert.True(hits.TakeLast(tenth).Count(h => h) <= tenth * 0.1, term);
            var except = index.RankedExcept(c, m, ranked[0], 1000, 10);
            Assert.DoesNotContain(ranked[0], except);
            Assert.True(titles[except[0]].Contains(term, StringComparison.Ordinal));
        }

        output.WriteLine($"{index.GetType().Name}: query\tcount/newest/ranked median, worst ms");
        foreach (var q in DevQueries())
        {
            var p = IndexPlan.Of(SearchQuery.Parse(q), new ArticleFilter());
            if (p.Match is { } m)
            {
                output.WriteLine(q + "\t" + Times(
                    () => index.Count(c, m, Min, Max),
                    () => index.Newest(c, m, Min, Max, 20, 0),
                    () => index.Ranked(c, m, Min, Max, p.OneTerm, SearchEngine.RankWindow, 20, 0)));
            }
        }
    }

    /// <summary>Median and worst of 7 runs of each, in milliseconds.</summary>
    private static string Times(params Func<object>[] reads) => string.Join("  ", reads.Select(read =>
    {
        var ms = Enumerable.Range(0, 7).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            read();
            return clock.Elapsed.TotalMilliseconds;
        }).Order().ToList();
        return $"{ms[3]:0.0}/{ms[^1]:0.0}";
    }));

    /// <summary>
    /// The reference: each article's streams as token ids, a phrase found by scanning every stream
    /// of its columns for the ids in a row, and the booleans as set operations over whole articles.
    /// </summary>
    private sealed class BruteForce
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<(long Key, int[][] Streams)> _articles = [];

        public BruteForce(IEnumerable<(long Key, IndexRow Row)> rows)
        {
            foreach (var (key, r) in rows)
            {
                _articles.Add((key, r.Streams.Select(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Id).ToArray()).ToArray()));
            }
        }

        private int Id(string token)
        {
            if (!_ids.TryGetValue(token, out var id))
            {
                _ids[token] = id = _ids.Count;
            }
            return id;
        }

        public HashSet<long> Find(IndexQuery q)
        {
            switch (q)
            {
                case IndexQuery.Phrase p:
                    var ids = p.Tokens.Select(t => _ids.GetValueOrDefault(t, -1)).ToArray();
                    var columns = Enumerable.Range(0, 7).Where(i => p.Columns.HasFlag((IndexColumns)(1 << i))).ToList();
                    return ids.Contains(-1) ? []
                        : _articles.Where(a => columns.Any(i => a.Streams[i].AsSpan().IndexOf(ids) >= 0)).Select(a => a.Key).ToHashSet();
                case IndexQuery.AllOf all:
                    var found = Find(all.Parts[0]);
                    foreach (var part in all.Parts.Skip(1))
                    {
                        found.IntersectWith(Find(part));
                    }
                    return found;
                case IndexQuery.AnyOf any:
                    return any.Parts.SelectMany(Find).ToHashSet();
                case IndexQuery.Except e:
                    var left = Find(e.Left);
                    left.ExceptWith(Find(e.Right));
                    return left;
                default:
                    throw new ArgumentOutOfRangeException(nameof(q));
            }
        }
    }
}
