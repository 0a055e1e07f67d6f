using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Operator;

/// <summary>What crawlers and caches read: /robots.txt, the sitemap index and its parts, validators and 304.</summary>
public sealed class CrawlerTests
{
    private static readonly XNamespace Sm = "http://www.sitemaps.org/schemas/sitemap/0.9";

    [Fact]
    public async Task The_sitemap_index_lists_every_article_exactly_once_above_50000()
    {
        using var t = new TempDatabase("sitemap");
        const int Count = 50_001;
        var expected = new HashSet<string>();
        using (var c = t.Db.OpenArticles())
        using (var tx = c.BeginTransaction())
        {
            var start = DateTimeOffset.Parse("2020-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 1; i <= Count; i++)
            {
                var url = $"https://example.com/news/{i}";
                var a = new Article(Permalink.For(url), url, $"Story {i}", start.AddMinutes(i), "Example", "en", [], "", null, "text", "<p>text</p>");
                ArticleStore.Put(c, i, a, UrlIdentity.ContentHash(a.Title, a.Text), $"gen/{i}.md", 0, null, tx);
                expected.Add(a.Permalink);
            }
            tx.Commit();
        }
        using var app = new AppFactory(null, t.Path, settings: new Dictionary<string, string> { ["Archive:PublicBaseUrl"] = "https://news.example.org" });
        var client = app.CreateClient();

        var index = XDocument.Parse(await client.GetStringAsync("/sitemap.xml"));
        var parts = index.Root!.Elements(Sm + "sitemap").Select(s => s.Element(Sm + "loc")!.Value).ToList();
        Assert.Equal(["https://news.example.org/sitemap-1.xml", "https://news.example.org/sitemap-2.xml"], parts);

        var listed = new List<string>();
        foreach (var part in parts)
        {
            var doc = XDocument.Parse(await client.GetStringAsync(new Uri(part).PathAndQuery));
            var urls = doc.Root!.Elements(Sm + "url").ToList();
            Assert.InRange(urls.Count, 1, 50_000);
            Assert.All(urls, u => Assert.Matches(@"^20\d\d-\d\d-\d\d$", u.Element(Sm + "lastmod")!.Value));
            listed.AddRange(urls.Select(u => u.Element(Sm + "loc")!.Value));
        }
        Assert.Equal(Count, listed.Count);
        Assert.Equal(expected.Select(p => "https://news.example.org/a/" + p).Order(), listed.Order());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/sitemap-3.xml")).StatusCode);

        var robots = await client.GetStringAsync("/robots.txt");
        Assert.Contains("Sitemap: https://news.example.org/sitemap.xml\n", robots, StringComparison.Ordinal);
        Assert.Contains("User-agent: *\n", robots, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/feed.atom")]
    [InlineData("/api/articles")]
    [InlineData("/api/search?q=the")]
    public async Task A_conditional_get_for_the_current_state_is_304(string path)
    {
        using var app = new AppFactory(TestData.Seeds);
        var client = await app.ClientWithArticlesAsync(2);
        await app.WaitForIngestAsync();

        var first = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        Assert.True(etag.IsWeak);
        Assert.Equal("public, max-age=30", first.Headers.CacheControl!.ToString());
        var modified = first.Content.Headers.LastModified!.Value;

        using var byTag = new HttpRequestMessage(HttpMethod.Get, path);
        byTag.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(byTag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var byDate = new HttpRequestMessage(HttpMethod.Get, path);
        byDate.Headers.IfModifiedSince = modified;
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(byDate)).StatusCode);

        // Another UI language is another representation: the English page's tag does not match.
        using var english = new HttpRequestMessage(HttpMethod.Get, path + (path.Contains('?') ? "&" : "?") + "lang=en");
        english.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(english)).StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"old\"", true));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }
}
