using System.Diagnostics;
using Dapper;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;
using Npgsql;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Postgres;

/// <summary>
/// The dev corpus indexed into PostgreSQL from the stored articles, as an index rebuild does: every
/// expression must find exactly the keys the SQLite index finds.
/// </summary>
[Collection(DevCorpusCollection.Name)]
public sealed class PgSearchAgreementTests(DevCorpusDb dev, ITestOutputHelper output)
{
    private const long Min = long.MinValue, Max = long.MaxValue;

    private static readonly string[] Hostile =
    [
        "\"中华人民共和国国务院新闻办公室今天举行发布会\"", "美国 -中国 -特朗普", "\"human rights\" -china", "Apple 蘋果 iphone",
        "vaccines policy", "鱼 雪", "x 国安", "\"x 国安\"", "o'brien", "c:\\path", "\"it's\"", "2021年 -2020年", "新冠 OR 肺炎",
        "\"the united states\"", "the", "的", "，", "“美国”", "香港 国安 -法", "美国 the -拜登", "NEAR(美国 中国)", "ＧＤＰ 增长",
    ];

    private static readonly string[] Related =
    [
        "title_grams : \"美国\" OR title_grams : \"拜登\" OR title_words : \"biden\" OR title_grams : \"中国\" OR title_words : \"china\"",
        "title_grams : \"香港\" OR title_grams : \"国安\" OR title_grams : \"安法\"",
        "(title_words : \"trump\" OR body_words : \"trump\") AND {title_grams body_grams} : \"特朗\" NOT body_chars : \"鱼\"",
        "facets : \"len\" AND ({title_words body_words} : (\"vaccine\" OR \"vaccines\") OR \"疫苗\")",
    ];

    private static List<string> DevQueries() =>
        File.ReadLines(Path.Combine(TestData.Shared, "eval", "queries-dev.tsv")).Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t')[2]).ToList();

    // Indexed once for the class's tests (a minute on this machine), then opened by each.
    private static (string Connection, List<ArticleRow> Articles)? s_indexed;
    private static readonly Lock IndexGate = new();

    private NpgsqlConnection Indexed(out List<ArticleRow> articles)
    {
        lock (IndexGate)
        {
            if (s_indexed is null)
            {
                using var first = Index(out var all);
                s_indexed = (first.ConnectionString, all);
            }
            articles = s_indexed.Value.Articles;
            var c = new NpgsqlConnection(s_indexed.Value.Connection);
            c.Open();
            return c;
        }
    }

    private NpgsqlConnection Index(out List<ArticleRow> articles)
    {
        using var lite = dev.Db.Open();
        articles = ArticleStore.Page(lite, new ArticleFilter(), 0, int.MaxValue).Select(a => ArticleStore.GetBySortKey(lite, a.SortKey)!).ToList();
        var pg = PgIndex.Open();
        var clock = Stopwatch.StartNew();
        using (var tx = pg.BeginTransaction())
        {
            using (var inserter = new PgSearchIndexStore.Inserter(pg, tx))
            {
                foreach (var a in articles)
                {
                    inserter.Put(a.SortKey, IndexDocument.Of(a).Row);
                    pg.Execute("""
                        INSERT INTO articles (id, permalink, url, title, sort_key, source, outlet, language, tags, excerpt, text, html, source_path, ingested_at, updated_at)
                        VALUES (@SortKey, @Permalink, @Url, '', @SortKey, @Source, @Outlet, @Language, '[]', '', '', '', '', 0, 0)
                        """, a, tx);
                }
            }
            tx.Commit();
        }
        output.WriteLine($"indexed {articles.Count} articles in {clock.ElapsedMilliseconds} ms " +
            $"({pg.ExecuteScalar<long>("SELECT count(*) FROM search_chunks WHERE NOT whole")} rows of chunked articles)");
        pg.Execute("VACUUM ANALYZE search_chunks");
        return pg;
    }

    private static IEnumerable<string> Expressions(IEnumerable<string> queries, string outlet)
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

    [PostgresCorpusFact]
    public void Every_expression_finds_exactly_what_the_SQLite_index_finds()
    {
        using var pg = Indexed(out var articles);
        using var lite = dev.Db.Open();
        var outlet = articles.CountBy(a => a.Outlet).MaxBy(x => x.Value).Key;
        var expressions = Expressions(DevQueries().Concat(Hostile), outlet).Concat(Related).ToList();
        Assert.True(expressions.Count > 60);
        var nonEmpty = 0;
        foreach (var m in expressions)
        {
            var want = SearchIndexStore.Newest(lite, m, Min, Max, int.MaxValue, 0);
            Assert.True(want.SequenceEqual(PgSearchIndexStore.Newest(pg, m, Min, Max, int.MaxValue, 0)), m);
            Assert.Equal(want.Count, PgSearchIndexStore.Count(pg, m, Min, Max));
            var (mid, page) = (want.Count > 2 ? want[want.Count / 2] : Min, Math.Min(want.Count, 50));
            Assert.Equal(SearchIndexStore.Count(lite, m, mid, Max), PgSearchIndexStore.Count(pg, m, mid, Max));
            Assert.Equal(SearchIndexStore.OutletsOfMatches(lite, m, Min, Max).Order(), PgSearchIndexStore.OutletsOfMatches(pg, m, Min, Max).Order());
            Assert.Equal(want.Take(1000).Order(), PgSearchIndexStore.Ranked(pg, m, Min, Max, false, 1000, 1000, 0).Order());
            Assert.Equal(want.Take(page).Order(), PgSearchIndexStore.Candidates(pg, m, Min, Max, true, false, page).Order());
            var (sql, args) = PgSearchIndexStore.MatchingKeys(m);
            Assert.Equal(ArticleStore.CountOutside(lite, new ArticleFilter(), m),
                pg.ExecuteScalar<long>($"SELECT count(*) FROM articles WHERE sort_key NOT IN ({sql})", args));
            nonEmpty += want.Count > 0 ? 1 : 0;
        }
        Assert.True(nonEmpty > expressions.Count / 2);
    }

    [PostgresCorpusFact]
    public void Ranked_puts_title_hits_first_and_times_the_dev_queries_against_SQLite()
    {
        using var pg = Indexed(out var articles);
        using var lite = dev.Db.Open();
        var titles = articles.ToDictionary(a => a.SortKey, a => Folding.Fold(a.Title));
        foreach (var term in new[] { "美国", "拜登", "香港" })
        {
            var m = IndexPlan.Of(SearchQuery.Parse(term), new ArticleFilter()).Match!;
            var ranked = PgSearchIndexStore.Ranked(pg, m, Min, Max, true, 1000, 1000, 0);
            var hits = ranked.Select(k => titles[k].Contains(term, StringComparison.Ordinal)).ToList();
            Assert.Contains(true, hits);
            Assert.Contains(false, hits);
            Assert.Equal(hits.OrderDescending(), hits);
            var except = PgSearchIndexStore.RankedExcept(pg, m, ranked[0], 1000, 10);
            Assert.DoesNotContain(ranked[0], except);
            Assert.True(titles[except[0]].Contains(term, StringComparison.Ordinal));
        }

        output.WriteLine("query\tSQLite count/newest/ranked median, worst ms\tPostgreSQL count/newest/ranked median, worst ms");
        foreach (var q in DevQueries())
        {
            var p = IndexPlan.Of(SearchQuery.Parse(q), new ArticleFilter());
            var m = p.Match!;
            var sqlite = Times(
                () => SearchIndexStore.Count(lite, m, Min, Max),
                () => SearchIndexStore.Newest(lite, m, Min, Max, 20, 0),
                () => SearchIndexStore.Ranked(lite, m, Min, Max, p.OneTerm, SearchEngine.RankWindow, 20, 0));
            var postgres = Times(
                () => PgSearchIndexStore.Count(pg, m, Min, Max),
                () => PgSearchIndexStore.Newest(pg, m, Min, Max, 20, 0),
                () => PgSearchIndexStore.Ranked(pg, m, Min, Max, p.OneTerm, SearchEngine.RankWindow, 20, 0));
            output.WriteLine($"{q}\t{sqlite}\t{postgres}");
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
}
