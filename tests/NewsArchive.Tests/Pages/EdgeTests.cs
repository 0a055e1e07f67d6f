using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web;
using NewsArchive.Web.Model;
using NewsArchive.Web.Site;

namespace NewsArchive.Tests.Pages;

/// <summary>The edges a reader runs into, over real HTTP on the sample articles: each says what happened, in the reader's language.</summary>
public sealed class EdgeTests(SeedsApp app) : IClassFixture<SeedsApp>
{
    private const string Putin = "%E6%99%AE%E4%BA%AC"; // 普京, in both sample articles

    private async Task<(HttpStatusCode Status, string Html)> Get(string url, string? acceptLanguage = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            req.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }
        using var r = await app.Client.SendAsync(req);
        return (r.StatusCode, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("/search?q=" + Putin + "&page=999999", "没有第 999,999 页，这是最后一页（第 1 页）。", "共 2 条结果")]
    [InlineData("/search?q=" + Putin + "&page=999999&lang=en", "There is no page 999,999: this is the last page, page 1.", "2 results")]
    [InlineData("/?page=40", "没有第 40 页，这是最后一页（第 1 页）。", "共 2 篇")]
    [InlineData("/archive/2024?page=3&lang=en", "There is no page 3: this is the last page, page 1.", "1 article")]
    public async Task A_page_past_the_end_shows_the_last_page_with_a_note(string url, string note, string count)
    {
        var (status, html) = await Get(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(note, html);
        Assert.Contains(count, html);
        Assert.Contains("class=\"article-title\"", html);
    }

    [Fact]
    public async Task The_api_answers_a_page_past_the_end_with_no_results_and_the_true_total()
    {
        foreach (var url in new[] { "/api/search?q=" + Putin + "&page=999999", "/api/articles?page=999999" })
        {
            var json = JsonDocument.Parse(await app.Client.GetStringAsync(url)).RootElement;
            Assert.Equal(2, json.GetProperty("total").GetInt64());
            Assert.Equal(999999, json.GetProperty("page").GetInt32());
            Assert.Equal(0, json.GetProperty("results").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("/search?q=" + Putin + "&from=2024-13-45", "from", "开始日期“2024-13-45”不是有效日期（年-月-日，1900 年至 2200 年），已忽略。", "共 2 条结果")]
    [InlineData("/search?q=" + Putin + "&to=yesterday&lang=en", "to", "The end date “yesterday” is not a date (year-month-day, 1900 to 2200), so it was left out.", "2 results")]
    [InlineData("/search?q=" + Putin + "&page=x&lang=en", "page", "“x” is not a page number, so the first page is shown.", "2 results")]
    [InlineData("/search?q=" + Putin + "&language=klingon", "language", "“klingon”不是本存档的语言，已显示所有语言。", "共 2 条结果")]
    [InlineData("/?language=klingon&lang=en", "language", "“klingon” is not a language of the archive, so every language is shown.", "2 articles")]
    [InlineData("/?page=-1", "page", "页码“-1”无效，已显示第一页。", "共 2 篇")]
    public async Task A_bad_parameter_is_named_and_left_out_and_the_rest_is_shown(string url, string field, string message, string count)
    {
        var (status, html) = await Get(url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"<p class=\"notice\" role=\"alert\" data-field=\"{field}\">{message}</p>", html);
        Assert.Contains(count, html);
        Assert.Contains("class=\"article-title\"", html);
    }

    [Fact]
    public async Task A_bad_date_stays_in_its_field()
    {
        var (_, html) = await Get("/search?q=" + Putin + "&from=2024-13-45&to=2023-12-31");
        Assert.Contains("id=\"from\" name=\"from\" type=\"text\" value=\"2024-13-45\" aria-invalid=\"true\"", html);
        Assert.Contains("id=\"to\" name=\"to\" type=\"date\" value=\"2023-12-31\"", html);
        Assert.Contains("共 1 条结果", html);
    }

    [Theory]
    [InlineData("", "搜索：")]
    [InlineData("&lang=en", "Search: ")]
    public async Task A_long_query_is_cut_in_the_heading_and_title_but_kept_in_the_search_box(string lang, string prefix)
    {
        var query = string.Concat(Enumerable.Repeat("普京金正恩", 240));
        var (_, html) = await Get("/search?q=" + Uri.EscapeDataString(query) + lang);
        var shown = prefix + query[..80] + "…";
        Assert.Contains($"<h1 id=\"search-heading\">{shown}</h1>", html);
        Assert.Contains($"<title>{shown} · ", html);
        Assert.Contains($"id=\"q\" name=\"q\" type=\"search\" value=\"{query}\"", html);
    }

    [Theory]
    [InlineData("www.rfi.fr/cn/%E4%BA%9A%E6%B4%B2/20230612-%E7%B4%A7%E7%B4%A7%E6%8A%B1%E5%9B%A2-%E9%87%91%E6%AD%A3%E6%81%A9%E5%AE%A3%E7%A7%B0-%E5%85%A8%E5%8A%9B%E6%94%AF%E6%8C%81-%E6%99%AE%E4%BA%AC")]
    [InlineData("rfi.fr/cn/亚洲/20230612-紧紧抱团-金正恩宣称-全力支持-普京")]
    [InlineData("voachinese.com/a/putin-signs-partnership-pact-with-kim-as-pyongyang-welcomes-russian-leader-with-fanfare-20240619/7661786.html")]
    public async Task An_address_without_its_scheme_goes_to_the_archived_article(string q)
    {
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var r = await client.GetAsync("/search?q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Matches("^/a/[0-9a-z]{12}$", r.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("rfi.fr/cn/x", "", "存档中没有来自此地址的文章；以下是对它的搜索结果。")]
    [InlineData("https://www.rfi.fr/cn/x", "&lang=en", "No article from this address is archived; here are the search results for it instead.")]
    public async Task An_address_not_in_the_archive_says_so_and_still_searches(string q, string lang, string message)
    {
        var (status, html) = await Get("/search?q=" + Uri.EscapeDataString(q) + lang);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(message, html);
        Assert.Contains("<p class=\"count\" role=\"status\">", html);
    }

    [Theory]
    [InlineData("/no-such-page?lang=en", null, HttpStatusCode.NotFound, "Page not found", "There is no page at this address.")]
    [InlineData("/no-such-page", "en-US", HttpStatusCode.NotFound, "Page not found", "There is no page at this address.")]
    [InlineData("/no-such-page", null, HttpStatusCode.NotFound, "找不到页面", "此地址没有页面。")]
    [InlineData("/no-such-page?lang=zh-Hant", "en-US", HttpStatusCode.NotFound, "找不到頁面", "此網址沒有頁面。")]
    [InlineData("/archive/1800?lang=en", null, HttpStatusCode.BadRequest, "Not a valid address", "Part of this address is not valid")]
    [InlineData("/archive/1800", null, HttpStatusCode.BadRequest, "地址无效", "此地址的一部分无效")]
    public async Task Error_pages_are_in_the_reader_language(string url, string? acceptLanguage, HttpStatusCode code, string heading, string text)
    {
        var (status, html) = await Get(url, acceptLanguage);
        Assert.Equal(code, status);
        Assert.Contains($"<h1>{heading}</h1>", html);
        Assert.Contains(text, html);
    }

    [Fact]
    public void Home_and_first_page_are_different_words_in_every_ui_language()
    {
        var l = app.Factory.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        foreach (var ui in UiCultures.Names)
        {
            CultureInfo.CurrentUICulture = new CultureInfo(ui);
            Assert.NotEqual(l["Nav.Home"].Value, l["Pager.First"].Value);
            Assert.NotEqual(l["Nav.Home"].Value, l["Pager.Last"].Value);
        }
    }

    [Theory]
    [InlineData("/archive/2024/06", "2024年6月")]
    [InlineData("/archive/2024/06?lang=en", "June 2024")]
    [InlineData("/archive/2024/06/19", "2024年6月19日")]
    [InlineData("/archive/2024/06/19?lang=en", "19 June 2024")]
    [InlineData("/archive/2024?lang=zh-Hant", "2024年")]
    public async Task Archive_headings_are_periods_as_people_write_them(string url, string heading)
    {
        var (_, html) = await Get(url);
        Assert.Contains($"<h1 id=\"list-heading\">{heading}</h1>", html);
    }

    [Theory]
    [InlineData("/archive/2024", ">2024年6月</a>")]
    [InlineData("/archive/2024?lang=en", ">June 2024</a>")]
    [InlineData("/", ">2023年</a>")]
    [InlineData("/search?q=" + Putin, "2023年 <span class=\"n\">1</span>")]
    [InlineData("/search?q=" + Putin + "&lang=en", "2023 <span class=\"n\">1</span>")]
    [InlineData("/search?q=" + Putin + "&from=2024-01-01&to=2024-12-31", "2024年6月 <span class=\"n\">1</span>")]
    [InlineData("/search?q=" + Putin + "&from=2024-01-01&to=2024-12-31&lang=en", "June 2024 <span class=\"n\">1</span>")]
    public async Task Period_counts_are_periods_as_people_write_them(string url, string period)
    {
        var (_, html) = await Get(url);
        Assert.Contains(period, html);
        Assert.DoesNotContain(">2024-06<", html);
    }

    [Theory]
    [InlineData("/feed.atom", null, "新闻存档：最新文章")]
    [InlineData("/feed.atom", "en-US", "新闻存档：最新文章")]
    [InlineData("/feed.atom?lang=en", null, "NewsArchive: Latest articles")]
    [InlineData("/feed.atom?lang=zh-Hant&source=rfi", null, "新聞存檔：法廣")]
    public async Task A_feed_title_is_in_the_language_of_its_lang_parameter(string url, string? acceptLanguage, string title)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            req.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }
        using var r = await app.Client.SendAsync(req);
        var xml = await r.Content.ReadAsStringAsync();
        Assert.Contains("<?xml-stylesheet type=\"text/xsl\" href=\"/feed.xsl\"?>", xml);
        XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Equal(title, XDocument.Parse(xml).Root!.Element(atom + "title")!.Value);
    }

    [Fact]
    public async Task The_feed_stylesheet_is_served_as_xml()
    {
        using var r = await app.Client.GetAsync("/feed.xsl");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/xml", r.Content.Headers.ContentType!.MediaType);
        Assert.Contains("xsl:stylesheet", await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("", "订阅源", "新闻存档：最新文章", "/feed.atom?lang=zh-Hans&script=hans", "新闻存档：法广")]
    [InlineData("?lang=en", "Feeds", "NewsArchive: Latest articles", "/feed.atom?lang=en", "NewsArchive: VOA")]
    public async Task The_feeds_page_lists_the_site_feed_and_one_per_source(string lang, string heading, string site, string href, string source)
    {
        var (status, html) = await Get("/feeds" + lang);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<h1>{heading}</h1>", html);
        Assert.Contains($"{href}\" type=\"application/atom+xml\">{site}</a>", html);
        Assert.Contains($">{source}</a>", html);
        Assert.Contains("<a href=\"/feeds\">", (await Get("/" + lang)).Html);
    }

    [Fact]
    public void The_sample_articles_join_the_default_database_only()
    {
        var root = Path.Combine(TestData.RepoRoot, "src", "NewsArchive.Web");
        var sample = new ArchiveOptions();
        ArchivePaths.Resolve(sample, root);
        Assert.Equal(TestData.Seeds, sample.SeedsPath);
        var other = new ArchiveOptions { Database = "/srv/archive.db" };
        ArchivePaths.Resolve(other, root);
        Assert.Equal("", other.SeedsPath);
        var chosen = new ArchiveOptions { Database = "/srv/archive.db", SeedsPath = "/srv/seeds" };
        ArchivePaths.Resolve(chosen, root);
        Assert.Equal("/srv/seeds", chosen.SeedsPath);
    }

    [Theory]
    [InlineData("en", "Fetching is off (Archive:Media:Fetch=false)")]
    [InlineData("zh-Hans", "图片抓取已关闭（Archive:Media:Fetch=false）")]
    public async Task The_operator_view_says_image_fetching_is_off(string lang, string message)
    {
        // The test server's client has no address: the operator view opened to every client, as on a private network.
        using var open = new AppFactory(TestData.Seeds, settings: new Dictionary<string, string> { ["Archive:OperatorPublic"] = "true" });
        await open.WaitForIngestAsync();
        var html = await open.CreateClient().GetStringAsync("/operator?lang=" + lang);
        Assert.Contains(message, WebUtility.HtmlDecode(html));
        var status = await Hardening.Child.RunAsync(["status", "--db", open.DatabasePath], TimeSpan.FromSeconds(60));
        Assert.Contains("media fetching is off (Archive:Media:Fetch=false)", status.Stdout);
        Assert.Contains("Archive__Media__Fetch=true", status.Stdout);
    }
}
