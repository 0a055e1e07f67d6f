using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Tags;

/// <summary>Tag pages over real HTTP on the ingested dev corpus, checked against the seed files' front matter.</summary>
[Collection(DevCorpusCollection.Name)]
public sealed partial class TagPageTests(DevCorpusDb dev)
{
    private const string Tag = "RTI 中央廣播電臺";
    private const string TagSimplified = "RTI 中央广播电台";

    [GeneratedRegex(@"<h2 class=""article-title""><a href=""/a/([0-9a-z]{12})""")]
    private static partial Regex ListedArticle();

    [GeneratedRegex(@"^(?:tags|categories):\s*\[(.*)\]\s*$", RegexOptions.Multiline)]
    private static partial Regex TagLine();

    [GeneratedRegex(@"^from:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    /// <summary>The URLs of the corpus files whose front matter carries the tag, read without the archive's reader.</summary>
    private static HashSet<string> FilesTagged(string tag) =>
        Directory.EnumerateFiles(TestData.DevCorpus, "*", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .Where(s => TagLine().Matches(s).Any(m => m.Groups[1].Value.Split(',').Select(t => t.Trim().Trim('"')).Contains(tag)))
            .Select(s => FromLine().Match(s).Groups[1].Value)
            .ToHashSet();

    private static async Task<List<string>> AllPages(HttpClient client, string tag)
    {
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            using var r = await client.GetAsync($"/tags/{Uri.EscapeDataString(tag)}?page={page}");
            if (r.StatusCode == HttpStatusCode.NotFound && page > 1)
            {
                return ids;
            }
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var listed = ListedArticle().Matches(await r.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
            Assert.InRange(listed.Count, 1, 20);
            ids.AddRange(listed);
        }
    }

    [CorpusFact]
    public async Task A_tag_page_lists_exactly_the_articles_carrying_the_tag_in_either_script_newest_first()
    {
        using var app = new AppFactory(seeds: null, dev.Db.Path);
        var client = app.CreateClient();
        var ids = await AllPages(client, Tag);
        Assert.Equal(ids, await AllPages(client, TagSimplified));
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var want = FilesTagged(Tag);
        var urls = new HashSet<string>();
        var published = new List<DateTimeOffset>();
        foreach (var id in ids)
        {
            var a = JsonDocument.Parse(await client.GetStringAsync($"/api/articles/{id}")).RootElement;
            Assert.Contains(Tag, a.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Contains(a.GetProperty("url").GetString()!, want);
            urls.Add(a.GetProperty("url").GetString()!);
            urls.UnionWith(a.GetProperty("alsoArchivedAt").EnumerateArray().Select(u => u.GetString()!));
            published.Add(a.GetProperty("published").GetDateTimeOffset());
        }
        // Every tagged file is one of the listed articles (files of one article: its other URLs).
        Assert.Empty(want.Except(urls));
        Assert.Equal(published.OrderByDescending(p => p), published);
        Assert.True(ids.Count > 20, "the tag spans several pages");
    }

    [CorpusFact]
    public async Task The_tags_page_the_sitemap_and_the_api_list_the_tags()
    {
        using var app = new AppFactory(seeds: null, dev.Db.Path);
        var client = app.CreateClient();
        var tags = WebUtility.HtmlDecode(await client.GetStringAsync("/tags?lang=en"));
        var ids = await AllPages(client, Tag);
        Assert.Contains($">{Tag}</a> <span class=\"n\">{ids.Count:N0}</span>", tags);
        Assert.Contains("<h1>Tags</h1>", tags);
        Assert.Contains(">标签<", await client.GetStringAsync("/tags?lang=zh-Hans"));
        Assert.Contains("hreflang=\"zh-Hant\"", tags);

        var index = await client.GetStringAsync("/sitemap.xml");
        Assert.Contains("/sitemap-tags-1.xml</loc>", index);
        Assert.Contains($"/tags/{Uri.EscapeDataString(Tag)}</loc>", await client.GetStringAsync("/sitemap-tags-1.xml"));

        var list = JsonDocument.Parse(await client.GetStringAsync("/api/articles?size=50")).RootElement.GetProperty("results");
        Assert.All(list.EnumerateArray(), a => Assert.True(a.GetProperty("tags").GetArrayLength() > 0));

        // The article page's chips link to the tag's page.
        var article = await client.GetStringAsync($"/a/{ids[0]}");
        Assert.Contains($"<a href=\"/tags/{Uri.EscapeDataString(Tag)}\">", WebUtility.HtmlDecode(article));
    }

    [CorpusFact]
    public async Task A_tag_no_article_carries_and_a_page_past_the_last_are_not_found()
    {
        using var app = new AppFactory(seeds: null, dev.Db.Path);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/tags/" + Uri.EscapeDataString("没有这个标签"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/tags/{Uri.EscapeDataString(Tag)}?page=999")).StatusCode);
    }

    [Fact]
    public async Task A_tag_with_reserved_characters_round_trips_in_its_url()
    {
        using var dir = new TempFolder("tag-chars");
        var seeds = Directory.CreateDirectory(dir.File("seeds")).FullName;
        const string odd = "50% a/b?c#d";
        SeedWriter.Write(seeds, "a.md", "Odd tag", "https://example.com/odd", "<p>An article with an odd tag.</p>",
            DateTimeOffset.Parse("2024-06-19T13:39:24Z"), $"tags: [ \"{odd}\", 臺灣 ]");
        using var app = new AppFactory(seeds);
        var client = await app.ClientWithArticlesAsync(1);
        var article = JsonDocument.Parse(await client.GetStringAsync("/api/articles")).RootElement.GetProperty("results")[0].GetProperty("id").GetString();
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/a/{article}"));
        var chip = Regex.Match(page, @"<a href=""(/tags/[^""]+)"">50% a/b\?c#d</a>").Groups[1].Value;
        Assert.Equal("/tags/" + Uri.EscapeDataString(odd), chip);
        foreach (var url in new[] { chip, "/tags/" + Uri.EscapeDataString("台湾"), "/tags/" + Uri.EscapeDataString("臺灣") })
        {
            var tagPage = await client.GetStringAsync(url);
            Assert.Contains($"href=\"/a/{article}\"", tagPage);
        }
    }
}
