namespace NewsArchive.Tests.Hant;

/// <summary>The reading-script preference: set by ?script= on any page, kept by a cookie, defaulting to the UI language.</summary>
public sealed class ScriptPreferenceTests(HantApp app) : IClassFixture<HantApp>
{
    // A reader's browser: it keeps the cookie.
    private HttpClient Client() => app.Factory.CreateClient();

    [Fact]
    public async Task The_cookie_keeps_the_script_on_every_page_until_it_changes()
    {
        var c = Client();
        Assert.Contains(">軟體產業</a>", await app.Html("/?script=hant-tw", client: c));
        // No ?script= from here on: the cookie carries it to the list, search and article pages.
        var home = await app.Html("/", client: c);
        Assert.Contains(">軟體產業</a>", home);
        Assert.Contains("<p class=\"excerpt\" lang=\"zh-Hant-TW\">軟體開發人員增加。</p>", home);
        Assert.Contains("<a href=\"/?script=hant-tw\" rel=\"nofollow\" aria-current=\"true\">", home);
        var search = await app.Html("/search?q=" + Uri.EscapeDataString("软件"), client: c);
        Assert.Contains("<p class=\"snippet\" lang=\"zh-Hant-TW\"><mark>軟體</mark>開發人員增加。</p>", search);
        Assert.Contains("lang=\"zh-Hant-TW\"><mark>軟體</mark>產業</a>", search);
        var article = System.Text.RegularExpressions.Regex.Match(search, "href=\"(/a/[0-9a-z]{12})\\?q=").Groups[1].Value;
        Assert.Contains("<h1>軟體產業</h1>", await app.Html(article, client: c));
        Assert.Contains(">软件产业</a>", await app.Html("/?script=original", client: c));
        Assert.Contains(">软件产业</a>", await app.Html("/", client: c));
    }

    [Fact]
    public async Task The_cookie_is_lax_for_a_year_and_secure_over_https()
    {
        foreach (var (address, secure) in new[] { ("http://localhost", false), ("https://localhost", true) })
        {
            // Twice: the second response is the cached page, which must set the cookie too.
            for (var i = 0; i < 2; i++)
            {
                using var r = await app.Factory.CreateClient(new() { BaseAddress = new Uri(address), HandleCookies = false }).GetAsync("/sources?script=hant-hk");
                var cookie = Assert.Single(r.Headers.GetValues("Set-Cookie"), v => v.StartsWith("script=", StringComparison.Ordinal));
                Assert.StartsWith("script=hant-hk; max-age=31536000;", cookie);
                Assert.Contains("samesite=lax", cookie);
                Assert.Contains("httponly", cookie);
                Assert.Equal(secure, cookie.Contains("secure;") || cookie.EndsWith("secure", StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData("zh-TW", "軟體產業", "臺灣跨年")]
    [InlineData("zh-HK", "軟件產業", "臺灣跨年")]
    [InlineData("zh-MO", "軟件產業", "臺灣跨年")]
    [InlineData("zh-CN", "软件产业", "台湾跨年")]
    [InlineData("en", "软件产业", "臺灣跨年")]
    public async Task Without_a_cookie_the_script_follows_the_ui_language(string acceptLanguage, string simplifiedTitle, string traditionalTitle)
    {
        // One URL for every reader: the output cache must keep their pages apart.
        var home = await app.Html("/", acceptLanguage);
        Assert.Contains(">" + simplifiedTitle + "</a>", home);
        Assert.Contains(">" + traditionalTitle + "</a>", home);
    }

    [Fact]
    public async Task A_feed_converts_only_by_its_own_address()
    {
        var c = Client();
        await app.Html("/?script=hant-tw", client: c);
        // The cookie does not reach the feed: feed readers send none, so one URL is one feed.
        Assert.Contains("<title>软件产业</title>", await app.Html("/feed.atom", client: c));
        var feed = await app.Html("/feed.atom?script=hant-tw", client: c);
        Assert.Contains("<title>軟體產業</title>", feed);
        Assert.Contains("<summary xml:lang=\"zh-Hant-TW\">軟體開發人員增加。</summary>", feed);
        Assert.Contains("href=\"/feed.atom?script=hant-tw\"", await app.Html("/", client: c));
    }
}
