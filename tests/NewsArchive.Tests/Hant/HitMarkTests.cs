using System.Text.RegularExpressions;

namespace NewsArchive.Tests.Hant;

/// <summary>The article page marks the matches of the search that led to it, folded as search folds.</summary>
public sealed class HitMarkTests(HantApp app) : IClassFixture<HantApp>
{
    private async Task<string> ArticleUrlFromSearch(string q)
    {
        var html = await app.Html("/search?q=" + Uri.EscapeDataString(q));
        // The result for the article on the epidemic, among the others that mention Taiwan.
        var m = Regex.Matches(html, "<h2 class=\"article-title\"><a href=\"(/a/[0-9a-z]{12}\\?q=[^\"]+)\" lang=\"zh-Hans\">(.*?)</a>")
            .Single(r => Regex.Replace(r.Groups[2].Value, "<[^>]+>", "") == "台湾疫情观察");
        return m.Groups[1].Value;
    }

    private static List<string> Marks(string html) =>
        Regex.Matches(html, "<mark id=\"hit-(\\d+)\" class=\"hit\">([^<]*)</mark>").Select(m => m.Groups[1].Value + ":" + m.Groups[2].Value).ToList();

    [Fact]
    public async Task Traditional_query_marks_the_simplified_text_in_title_and_body()
    {
        var url = await ArticleUrlFromSearch("臺灣");
        Assert.EndsWith("?q=" + Uri.EscapeDataString("臺灣"), url);
        // A zh-TW reader reads in Taiwan Traditional by default; asked for the original, the marks are on the Simplified text.
        Assert.Equal(["1:臺灣", "2:臺灣", "3:臺灣"], Marks(await app.Html(url, "zh-TW")));
        var html = await app.Html(url + "&script=original", "zh-TW");
        Assert.Equal(["1:台湾", "2:台湾", "3:台湾"], Marks(html));
        Assert.Contains("本文共 3 處符合", html);
        // Nothing between the words: the summary lists an anchor per mark, and the navigator counts them.
        Assert.DoesNotContain("hit-next", html);
        Assert.Equal(["#hit-1", "#hit-2", "#hit-3"], Regex.Matches(html, "<li><a href=\"(#hit-\\d+)\">").Select(m => m.Groups[1].Value));
        Assert.Contains("<div id=\"hits\"", html);
        Assert.Contains("data-count=\"3\"", html);
    }

    [Fact]
    public async Task Full_width_query_marks_ascii_in_any_case()
    {
        var html = await app.Html(await ArticleUrlFromSearch("ＣＯＶＩＤ"));
        Assert.Equal(["1:COVID", "2:covid"], Marks(html));
        Assert.Contains("2 matches", await app.Html(await ArticleUrlFromSearch("ＣＯＶＩＤ"), "en"));
    }

    [Fact]
    public async Task Without_a_query_nothing_is_marked_and_the_cache_keeps_them_apart()
    {
        var url = await ArticleUrlFromSearch("臺灣");
        var plainUrl = url[..url.IndexOf('?', StringComparison.Ordinal)];
        var marked = await app.Html(url);
        var plain = await app.Html(plainUrl);
        Assert.NotEmpty(Marks(marked));
        Assert.DoesNotContain("<mark", plain);
        Assert.DoesNotContain("id=\"hits\"", plain);
        // Cached in both orders: each address keeps its own page.
        Assert.DoesNotContain("<mark", await app.Html(plainUrl));
        Assert.NotEmpty(Marks(await app.Html(url)));
    }

    [Fact]
    public async Task Negated_and_unmatched_terms_mark_nothing()
    {
        var url = await ArticleUrlFromSearch("臺灣");
        var id = Regex.Match(url, "/a/([0-9a-z]{12})").Groups[1].Value;
        var html = await app.Html($"/a/{id}?q=" + Uri.EscapeDataString("疫情 -病例"));
        Assert.Equal(["1:疫情"], Marks(html));
        Assert.Contains("本文共 1 处匹配", await app.Html($"/a/{id}?q=" + Uri.EscapeDataString("疫情 -病例"), "zh-CN"));
        Assert.Contains("本文正文中没有匹配", await app.Html($"/a/{id}?q=" + Uri.EscapeDataString("软件"), "zh-CN"));
    }
}
