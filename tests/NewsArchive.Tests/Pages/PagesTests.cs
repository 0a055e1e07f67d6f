using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Pages;

/// <summary>The pages over real HTTP on the seed articles: content, languages, headers, errors.</summary>
public sealed class PagesTests(SeedsApp app) : IClassFixture<SeedsApp>
{
    private readonly HttpClient _client = app.Client;

    private async Task<string> Html(string url, string? acceptLanguage = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            req.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }
        using var r = await _client.SendAsync(req);
        Assert.Equal(expected, r.StatusCode);
        // Razor writes some characters as entities (+ as &#x2B;); assertions read the decoded text.
        return WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
    }

    private async Task<string> FirstId()
    {
        var list = JsonDocument.Parse(await _client.GetStringAsync("/api/articles")).RootElement;
        return list.GetProperty("results")[0].GetProperty("id").GetString()!;
    }

    [Theory]
    [InlineData(null, "zh-Hans", "最新文章")]
    [InlineData("en-US,en;q=0.9", "en", "Latest articles")]
    [InlineData("zh-CN,zh;q=0.9", "zh-Hans", "最新文章")]
    public async Task Home_lists_the_articles_in_the_reader_language(string? acceptLanguage, string lang, string heading)
    {
        var html = await Html("/", acceptLanguage);
        Assert.Contains($"<html lang=\"{lang}\">", html);
        Assert.Contains(heading, html);
        Assert.Contains("普京与金正恩签署全面战略合作条约", html);
        Assert.Contains("紧紧抱团 金正恩宣称", html);
        Assert.True(html.IndexOf("普京与金正恩签署", StringComparison.Ordinal) < html.IndexOf("紧紧抱团", StringComparison.Ordinal), "newest first");
    }

    [Fact]
    public async Task Lang_query_and_culture_cookie_switch_the_ui()
    {
        Assert.Contains("<html lang=\"en\">", await Html("/?lang=en"));
        using var switchReq = new HttpRequestMessage(HttpMethod.Get, "/culture?c=en&r=/sources");
        using var switched = await app.Factory.CreateClient(new() { AllowAutoRedirect = false }).SendAsync(switchReq);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/sources", switched.Headers.Location!.OriginalString);
        var cookie = switched.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var req = new HttpRequestMessage(HttpMethod.Get, "/sources");
        req.Headers.Add("Cookie", cookie);
        var html = await (await _client.SendAsync(req)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("Outlets", html);
    }

    [Theory]
    [InlineData("//evil.example.com/")]
    [InlineData("https://evil.example.com/")]
    [InlineData("/\\evil.example.com")]
    public async Task Language_switch_is_not_an_open_redirect(string target)
    {
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var r = await client.GetAsync("/culture?c=en&r=" + Uri.EscapeDataString(target));
        Assert.Equal("/", r.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/?source=rfi.fr", "紧紧抱团", "普京与金正恩签署")]
    [InlineData("/?language=zh-Hans&source=voachinese.com", "普京与金正恩签署", "紧紧抱团")]
    [InlineData("/archive/2024", "普京与金正恩签署", "紧紧抱团")]
    [InlineData("/archive/2023/06/12", "紧紧抱团", "普京与金正恩签署")]
    public async Task Filters_combine(string url, string present, string absent)
    {
        var html = await Html(url);
        Assert.Contains(present, html);
        Assert.DoesNotContain(absent, html);
    }

    [Theory]
    // A bad page number or language is named and the list still shown (EdgeTests).
    [InlineData("/archive/2024/13")]
    [InlineData("/archive/2024/02/30")]
    [InlineData("/a/nope")]
    [InlineData("/a/000000000000")]
    [InlineData("/no/such/page")]
    public async Task Bad_addresses_are_a_localized_404_never_a_500(string url)
    {
        var html = await Html(url, "en", HttpStatusCode.NotFound);
        Assert.Contains("Page not found", html);
        Assert.Contains("<html lang=\"en\">", html);
        Assert.DoesNotContain("Exception", html);
    }

    [Fact]
    public async Task Article_page_has_permalink_original_link_body_and_metadata()
    {
        var id = await FirstId();
        var html = await Html($"/a/{id}/any-slug-is-ignored");
        Assert.Contains($"<link rel=\"canonical\" href=\"http://localhost/a/{id}\">", html);
        Assert.Contains("rel=\"noopener noreferrer\"", html);
        Assert.Contains("href=\"https://www.voachinese.com/a/putin-signs", html);
        Assert.Contains("<article class=\"article\" lang=\"zh-Hans\">", html);
        Assert.Contains("property=\"og:title\"", html);
        Assert.Contains("\"@type\":\"NewsArticle\"", html);
        // Its images are not in the archive: placeholders that js/media.js fills from the origin (no referrer) if it can.
        Assert.Contains("<span class=\"media-placeholder\" data-alt=\"\" data-remote=\"https://images.weserv.nl/", html);
        Assert.Contains("俄罗斯总统普京周三", html);
        Assert.Contains("2024/6/19 21:59 (UTC+8)", html);
    }

    [Fact]
    public async Task Script_view_shows_a_simplified_article_in_traditional()
    {
        var id = await FirstId();
        var html = await Html($"/a/{id}?script=hant");
        Assert.Contains("普京與金正恩簽署全面戰略合作條約", html);
        Assert.Contains("<article class=\"article\" lang=\"zh-Hant\">", html);
        Assert.Contains("俄羅斯總統普京週三", html);
        Assert.Contains("並簽署了一項", html);
        Assert.DoesNotContain("簽署瞭", html);
    }

    [Fact]
    public async Task Search_page_highlights_matches_in_the_original_script()
    {
        var html = await Html("/search?q=" + Uri.EscapeDataString("簽署"));
        Assert.Contains("<mark>签署</mark>", html);
        Assert.Contains("value=\"簽署\"", html);
        Assert.Contains("共 1 条结果", html);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("-")]
    [InlineData("NEAR(a b)")]
    [InlineData("a* OR b^ c:d")]
    [InlineData("\u202e\u0000x")]
    public async Task Odd_queries_never_fail(string q)
    {
        var page = await _client.GetAsync("/search?q=" + Uri.EscapeDataString(q));
        Assert.True(page.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest);
        var api = await _client.GetAsync("/api/search?q=" + Uri.EscapeDataString(q));
        Assert.True(api.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Very_long_query_gets_a_clear_message()
    {
        var html = await Html("/search?q=" + new string('中', 10_000), "en", HttpStatusCode.BadRequest);
        Assert.Contains("too long", html);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/search?q=x")]
    [InlineData("/api/articles")]
    [InlineData("/nope")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        var r = await _client.GetAsync(url);
        var csp = string.Join(" ", r.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Contains("base-uri 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", r.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Static_assets_are_fingerprinted_and_cached_for_a_year()
    {
        var html = await Html("/");
        var css = System.Text.RegularExpressions.Regex.Match(html, "/css/site\\.[a-z0-9]{10}\\.css").Value;
        Assert.NotEmpty(css);
        var r = await _client.GetAsync(css);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("immutable", r.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Pages_have_no_inline_script()
    {
        var html = await Html($"/a/{await FirstId()}");
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>");
        Assert.All(scripts, m => Assert.True(m.Value.Contains("src=") || m.Value.Contains("application/ld+json"), m.Value));
    }

    [Fact]
    public async Task Feed_and_sitemap_list_the_articles()
    {
        var feed = XDocument.Parse(await _client.GetStringAsync("/feed.atom"));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Equal(2, feed.Root!.Elements(atom + "entry").Count());
        var one = XDocument.Parse(await _client.GetStringAsync("/feed.atom?source=rfi.fr"));
        Assert.Single(one.Root!.Elements(atom + "entry"));
        // An index of parts; the one part lists both articles.
        var index = XDocument.Parse(await _client.GetStringAsync("/sitemap.xml"));
        Assert.Single(index.Root!.Elements());
        var sitemap = XDocument.Parse(await _client.GetStringAsync("/sitemap-1.xml"));
        Assert.Equal(2, sitemap.Root!.Elements().Count());
    }

    [Fact]
    public async Task Every_page_works_on_an_empty_archive()
    {
        using var empty = new AppFactory(TestData.TempDir("empty-seeds"));
        var client = empty.CreateClient();
        await empty.WaitForIngestAsync();
        foreach (var url in new[] { "/", "/sources", "/archive/2024", "/search?q=x", "/feed.atom", "/sitemap.xml", "/api/articles" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
        }
    }

    [Fact]
    public async Task Sources_page_counts_articles()
    {
        var html = await Html("/sources", "en");
        Assert.Contains(">RFI</a>", html);
        Assert.Contains(">VOA</a>", html);
    }
}
