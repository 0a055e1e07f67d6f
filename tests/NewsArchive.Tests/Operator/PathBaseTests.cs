using System.Net;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Operator;

/// <summary>Serving under a path (<c>Archive:PublicBaseUrl=https://example.org/archive/</c>): every page reachable from the home page, crawled.</summary>
public sealed class PathBaseTests(ITestOutputHelper output)
{
    private const string Base = "https://example.org/archive/";
    private static readonly Uri Start = new("http://localhost/archive/");

    /// <summary>A link into the site: on the test host or the public host, or relative.</summary>
    private static bool IsOurs(Uri u) => u.Host is "localhost" or "example.org";

    /// <summary>Every URL a response names: attributes of pages, XML locations and links, redirects.</summary>
    private static IEnumerable<string> Named(HttpResponseMessage response, string body)
    {
        if (response.Headers.Location is { } location)
        {
            yield return location.OriginalString;
        }
        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (type == "text/html")
        {
            var doc = new HtmlParser().ParseDocument(body);
            foreach (var e in doc.QuerySelectorAll("[href], [src], form[action], meta[property='og:url']"))
            {
                foreach (var name in new[] { "href", "src", "action", "content" })
                {
                    if (e.GetAttribute(name) is { Length: > 0 } v && (name != "content" || e.LocalName == "meta"))
                    {
                        yield return v;
                    }
                }
            }
        }
        else if (type.EndsWith("xml", StringComparison.Ordinal))
        {
            foreach (var e in XDocument.Parse(body).Descendants())
            {
                if (e.Name.LocalName is "loc" or "id" && e.Value.StartsWith("http", StringComparison.Ordinal))
                {
                    yield return e.Value;
                }
                if (e.Name.LocalName == "link" && e.Attribute("href") is { } href)
                {
                    yield return href.Value;
                }
            }
        }
        else if (type == "text/plain")
        {
            foreach (var line in body.Split('\n').Where(l => l.StartsWith("Sitemap:", StringComparison.Ordinal)))
            {
                yield return line["Sitemap:".Length..].Trim();
            }
        }
    }

    [Fact]
    public async Task Every_link_form_asset_feed_sitemap_url_and_redirect_stays_under_the_base_path()
    {
        using var seeds = new TempFolder("pathbase");
        const string Url = "https://example.com/news/zebracorn";
        SeedWriter.Write(seeds.Path, "a.md", "Zebracorn sighted", Url, "<p>A zebracorn was sighted downtown.</p>",
            DateTimeOffset.UtcNow.AddDays(-1), "from: Example News\ntags: [zebra, 新闻]");
        SeedWriter.Write(seeds.Path, "b.md", "Other news", "https://example.com/news/other", "<p>Nothing unusual.</p>",
            DateTimeOffset.UtcNow.AddDays(-40), "from: Other Paper");
        // The same article at an http URL: its permalink redirects to the https one's.
        SeedWriter.Write(seeds.Path, "c.md", "Zebracorn sighted", "http://example.com/news/zebracorn", "<p>A zebracorn was sighted downtown.</p>",
            DateTimeOffset.UtcNow.AddDays(-1), "from: Example News\ntags: [zebra, 新闻]");
        using var app = new AppFactory(seeds.Path, settings: new Dictionary<string, string> { ["Archive:PublicBaseUrl"] = Base });
        await app.WaitForIngestAsync();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Start, AllowAutoRedirect = false });

        // Besides the links, what a reader types or a proxy forwards: a search form submitted, an old permalink, an archived URL searched.
        var queue = new Queue<Uri>(new[]
        {
            "", "search?q=zebracorn", $"a/{Permalink.For("http://example.com/news/zebracorn")}", $"search?q={Uri.EscapeDataString(Url)}",
            "culture?c=en", "robots.txt", "sitemap.xml", "feed.atom", "a/zzzzzzzzzzzz",
        }.Select(p => new Uri(Start, p)));
        var seen = new HashSet<string>(queue.Select(u => u.PathAndQuery));
        var outside = new List<string>();
        var statuses = new Dictionary<HttpStatusCode, int>();
        var broken = new List<string>();
        while (queue.Count > 0 && seen.Count < 3000)
        {
            var page = queue.Dequeue();
            using var response = await client.GetAsync(page);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            // The not-found page's language links are to itself, which answers 404 in that language.
            if ((int)response.StatusCode >= 400 && page.AbsolutePath is not ("/archive/a/zzzzzzzzzzzz" or "/archive/status/404"))
            {
                broken.Add($"{(int)response.StatusCode} {page.PathAndQuery}");
            }
            var body = await response.Content.ReadAsStringAsync();
            foreach (var named in Named(response, body).Where(n => !n.StartsWith('#') && !n.StartsWith("data:", StringComparison.Ordinal)))
            {
                var target = new Uri(page, WebUtility.HtmlDecode(named));
                if (!IsOurs(target))
                {
                    continue;
                }
                var expected = target.Host == "example.org" ? Base : Start.AbsoluteUri;
                if (!target.AbsoluteUri.StartsWith(expected, StringComparison.Ordinal))
                {
                    outside.Add($"{page.PathAndQuery} names {named}");
                    continue;
                }
                var local = new Uri(Start, target.PathAndQuery);
                if (seen.Add(local.PathAndQuery))
                {
                    queue.Enqueue(local);
                }
            }
        }
        output.WriteLine($"{seen.Count} URLs: {string.Join(", ", statuses.Select(s => $"{(int)s.Key} × {s.Value}"))}");
        Assert.Empty(outside);
        // A link that doubles the base (/archive/archive/…) stays under it, but answers nothing.
        Assert.Empty(broken);
        // The crawl reached the article, its redirect, the search redirect, the culture switch and the sitemap's parts.
        Assert.Contains($"/archive/a/{Permalink.For(Url)}", seen);
        Assert.Contains("/archive/sitemap-1.xml", seen);
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.MovedPermanently) > 0 && statuses.GetValueOrDefault(HttpStatusCode.Redirect) > 0,
            string.Join(", ", statuses));
        Assert.True(seen.Count > 30, $"only {seen.Count} URLs reached");

        // Without the prefix nothing is served: each path redirects to itself under the base.
        foreach (var path in new[] { "/", "/search?q=zebracorn", $"/a/{Permalink.For(Url)}", "/feed.atom", "/css/site.css", "//evil.example/x" })
        {
            using var response = await client.GetAsync(new Uri("http://localhost" + path));
            Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
            Assert.Equal("/archive" + path, response.Headers.Location?.OriginalString);
        }
    }
}
