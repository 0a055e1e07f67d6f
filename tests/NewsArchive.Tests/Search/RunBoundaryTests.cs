using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Search;

/// <summary>
/// Where the index's pairs meet run boundaries (spaces, Latin words, one-character runs, a run
/// that begins with the character the one before ends with, single characters next to the gap and
/// skip tokens) or punctuation marks (inside a run, at its ends, next to a one-character segment),
/// the engine still finds exactly what a scan of the folded text finds (the reference matcher, not the engine's).
/// </summary>
public sealed class RunBoundaryTests
{
    private static readonly string[] Bodies =
    [
        "香港 港口 很大",
        "香港口岸",
        "香港 x 港口",
        "香港 国安 与 香港国安",
        "g7峰会 在 2021年 举行",
        "iphone 手机 与 iphone手机",
        "covid-19 疫苗 和 precovid-19",
        "中国，美国 与 中 国",
        "a股 上涨 1年 2021 年",
        "abc 中国 xabc 国家",
        "美国 国会 美国国会",
        "國 國會 臺灣",
        "§5 条款 ¦ 边界 岸",
        "他说，我们的人 《纽约时报》报道",
        "9·11 事件 与 19·11 唐纳德·特朗普",
        "他， 我。 好， 。结束",
        "他，我。 好，。结束 data,def",
        "§ ¦ §§ 条款§",
        "符号 《 纽 分开",
    ];

    private static readonly string[] Queries =
    [
        "香港口", "\"香港 港口\"", "港口", "\"港 港\"", "\"香港 x\"", "\"x 港口\"", "\"香港 国安\"", "\"港 国\"",
        "g7峰会", "7峰", "2021年", "\"2021 年\"", "1年", "\"1 年\"", "iphone手机", "\"iphone 手机\"", "e手",
        "vid-19", "covid-19 疫苗", "\"covid-19 疫苗\"", "\"19 疫苗\"", "\"中 国\"", "中国，美国", "，美", "国，",
        "\"abc 中国\"", "\"c 中国\"", "\"美国 国会\"", "国国", "\"国 国\"", "\"國 國會\"", "国会", "a股", "-港口 香港",
        "港", "口", "岸", "峰", "会", "国", "，", "§", "¦", "款", "-岸 港", "\"港 岸\"",
        "说，我", "他说，", "，我们", "说，", "《纽约时报》", "纽约时报》", "《纽", "9·11", "·11", "9·", "德·特", "纳德·特朗",
        "他，我", "\"他， 我\"", "我。", "，。", "\"， 。\"", "好，", "a,d", "\"， 我\"", "我们的", "-《纽约时报》 他",
        "§§", "\"§ ¦\"", "款§", "\"¦ §§\"",
    ];

    [Fact]
    public async Task Queries_across_run_boundaries_match_a_scan_of_the_text()
    {
        using var t = new TempDatabase("boundaries");
        for (var i = 0; i < Bodies.Length; i++)
        {
            SeedWriter.Write(t.Seeds, $"{i}.md", "标题", $"https://example.com/{i}", $"<p>{Bodies[i]}</p>", DateTimeOffset.FromUnixTimeMilliseconds(1718805542000));
        }
        Assert.Equal(Bodies.Length, (await new Ingester(t.Db).RunAsync([t.Seeds])).New);

        var engine = new SearchEngine(t.Db);
        var folded = Bodies.Select(b => ReferenceMatcher.Fold("标题 " + b)).ToList();
        foreach (var q in Queries)
        {
            var terms = ReferenceMatcher.Parse(q);
            var expected = Enumerable.Range(0, Bodies.Length)
                .Where(i => ReferenceMatcher.Matches(folded[i], terms))
                .Select(i => $"https://example.com/{i}").Order().ToList();
            var result = await engine.SearchAsync(new SearchRequest(SearchQuery.Parse(q), new ArticleFilter(), SearchSort.Newest, 1, 100));
            Assert.True(expected.SequenceEqual(result.Hits.Select(h => h.Article.Url).Order()),
                $"{q}: expected [{string.Join(' ', expected)}], got [{string.Join(' ', result.Hits.Select(h => h.Article.Url).Order())}]");
            Assert.Equal(expected.Count, result.Total);
        }
    }
}
