using System.Diagnostics;
using System.Text;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;

namespace NewsArchive.Tests.Hardening;

/// <summary>
/// Thousands of random and adversarial queries against the dev corpus (seeded, reproducible): none
/// may throw, and random substrings of real articles must find exactly what a brute-force scan of
/// the texts finds (folded and matched by the test's own reference matcher).
/// </summary>
[Collection(DevCorpusCollection.Name)]
public sealed class QueryFuzzTests(DevCorpusDb dev)
{
    private const string Syntax = "*:^()\"-+{}[]<>.,;'`~!@#$%&=|\\/?NEAR AND OR NOT";
    private static readonly string[] Odd = ["\u202E", "\u200F", "\u200B", "\uFEFF", "\0", "\u0001", "\t", "\n", "\uD800", "\uDFFF", "　", "🙂", "𠀋", "ﬁ", "Ⅻ"];

    [CorpusFact]
    public async Task Adversarial_queries_never_fail()
    {
        var engine = new SearchEngine(dev.Db);
        var rng = new Random(20261123);
        var worst = TimeSpan.Zero;
        var worstQuery = "";
        for (var i = 0; i < 3000; i++)
        {
            var q = AdversarialQuery(rng, i);
            var sw = Stopwatch.StartNew();
            var r = await engine.SearchAsync(new SearchRequest(SearchQuery.Parse(q), new ArticleFilter(), i % 2 == 0 ? SearchSort.Relevance : SearchSort.Newest, 1 + (i % 3), 20));
            if (sw.Elapsed > worst)
            {
                (worst, worstQuery) = (sw.Elapsed, q);
            }
            Assert.True(r.Problem is not null || r.Total >= r.Hits.Count);
        }
        // A hang guard, not a benchmark: the figures are in docs/reliability.md.
        Assert.True(worst < TimeSpan.FromSeconds(5), $"{worst} for {worstQuery}");
    }

    [CorpusFact]
    public async Task Random_substrings_of_real_articles_match_a_brute_force_scan()
    {
        var docs = FoldedDocs();
        var rng = new Random(7);
        for (var i = 0; i < 150; i++)
        {
            var source = docs[rng.Next(docs.Count)].Text;
            if (source.Length < 20)
            {
                continue;
            }
            var start = rng.Next(source.Length - 12);
            await AssertSameAsBruteForce(docs, source.Substring(start, 1 + rng.Next(8)).Trim(), rng);
        }
    }

    /// <summary>Quoted phrases across spaces, with runs of one to three characters on each side (one-character runs take the checked path).</summary>
    [CorpusFact]
    public async Task Phrases_across_spaces_match_a_brute_force_scan()
    {
        var docs = FoldedDocs();
        var rng = new Random(11);
        for (var i = 0; i < 80; i++)
        {
            var source = docs[rng.Next(docs.Count)].Text;
            var space = source.IndexOf(' ', rng.Next(Math.Max(1, source.Length - 10)));
            if (space < 3 || space > source.Length - 5)
            {
                continue;
            }
            var before = 1 + rng.Next(3);
            await AssertSameAsBruteForce(docs, source.Substring(space - before, before + 2 + rng.Next(3)).Trim(), rng);
        }
    }

    /// <summary>The stored texts, folded by the reference matcher (not the product's folding).</summary>
    private List<(string Url, string Folded, string Text)> FoldedDocs()
    {
        using var c = dev.Db.Open();
        return c.Query<(string Url, string Title, string Text)>("SELECT url, title, text FROM articles")
            .Select(d => (d.Url, ReferenceMatcher.Fold(d.Title + " " + d.Text), d.Text)).ToList();
    }

    private async Task AssertSameAsBruteForce(List<(string Url, string Folded, string Text)> docs, string q, Random rng)
    {
        if (q.Length == 0 || char.IsSurrogate(q[^1]) || char.IsSurrogate(q[0]))
        {
            return;
        }
        if (rng.Next(3) == 0)
        {
            q = ChineseScript.Instance.ToTraditional(q);
        }
        var raw = q.Contains(' ') ? $"\"{q}\"" : q;
        var query = SearchQuery.Parse(raw);
        if (query.Problem is not null || query.Terms.Any(t => t.IsWords))
        {
            return;
        }
        var terms = ReferenceMatcher.Parse(raw);
        var expected = docs.Where(d => ReferenceMatcher.Matches(d.Folded, terms)).Select(d => d.Url).ToHashSet();
        // The semantics, without the bound on checked candidates (RequestFuzzTests tests the bound).
        var engine = new SearchEngine(dev.Db, verifyLimit: int.MaxValue);
        var got = new List<string>();
        for (var page = 1; ; page++)
        {
            var r = await engine.SearchAsync(new SearchRequest(query, new ArticleFilter(), SearchSort.Newest, page, 100));
            got.AddRange(r.Hits.Select(h => h.Article.Url));
            Assert.True(expected.Count == r.Total, $"query {q}: expected {expected.Count} ({string.Join(' ', expected.Take(3))}), total {r.Total}");
            if (r.Hits.Count == 0 || got.Count >= r.Total)
            {
                break;
            }
        }
        Assert.True(expected.SetEquals(got), $"query {q}: expected {expected.Count}, got {got.Count}");
    }

    private static string AdversarialQuery(Random rng, int i)
    {
        if (i % 500 == 0)
        {
            return new string('中', 10_000);
        }
        var sb = new StringBuilder();
        var parts = rng.Next(1, 8);
        for (var p = 0; p < parts; p++)
        {
            switch (rng.Next(6))
            {
                case 0:
                    sb.Append(Syntax[rng.Next(Syntax.Length)]);
                    break;
                case 1:
                    sb.Append(Odd[rng.Next(Odd.Length)]);
                    break;
                case 2:
                    sb.Append((char)rng.Next(0x4E00, 0x9FA5), rng.Next(1, 4));
                    break;
                case 3:
                    sb.Append(new[] { "trump", "Biden", "COVID-19", "u.s.", "human rights", "the", "a" }[rng.Next(7)]);
                    break;
                case 4:
                    sb.Append(rng.Next(2) == 0 ? " -" : " \"");
                    break;
                default:
                    sb.Append(' ');
                    break;
            }
        }
        return sb.ToString();
    }
}
