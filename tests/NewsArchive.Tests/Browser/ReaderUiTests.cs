using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Browser;

/// <summary>
/// The repo's seeds and three more files: a long report that a search matches many times, and a
/// report with an earlier version (so there is a revision page).
/// </summary>
public sealed class ReaderUiApp : BrowserApp
{
    public const string Query = "存档";
    public const int Marks = 25;

    public static readonly string Dir = Write();

    public ReaderUiApp()
        : base(Dir)
    {
    }

    private static string Write()
    {
        var dir = TestData.TempDir("reader-ui");
        foreach (var f in Directory.GetFiles(TestData.Seeds))
        {
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        }
        var t = new DateTimeOffset(2024, 6, 21, 2, 0, 0, TimeSpan.Zero);
        // The title and every paragraph name the archive: one mark in the title, two in each of twelve paragraphs.
        var body = string.Concat(Enumerable.Range(1, 12).Select(i =>
            $"<p>第{i}段：新闻存档把每篇报道连同原文链接一起保存，读者可以按日期浏览，也可以搜索全文；存档不改动原文，只保存它被抓取时的样子，第{i}段到此为止。</p>"));
        SeedWriter.Write(dir, "long.md", "新闻存档如何保存报道", "https://archive.example.org/2024/06/how.html", body, t,
            "tags:\n  - 城市报道\n  - Libraries of the city, long reports and more");
        const string title = "城东图书馆明年开放";
        const string para = "<p>市政府周二宣布，城东的新图书馆将于明年春天开放，馆藏图书超过三十万册，并设有儿童阅览区和自习室。</p>";
        SeedWriter.Write(dir, "v1.md", title, "https://city.example.org/2024/06/library.html", para + "<p>官员说造价为八千万元。</p>", t.AddDays(-1));
        SeedWriter.Write(dir, "v2.md", title, "https://city.example.org/story.php?id=7", para + "<p>官员说造价为八千五百万元。</p>", t.AddDays(-1).AddHours(3));
        return dir;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        TestData.TryDelete(Dir);
    }
}

/// <summary>Phone-first layout, the hit navigator, the comforts (icons, manifest, description, preferences, shortcuts, calendar, print) in real Chromium.</summary>
public sealed class ReaderUiTests(ReaderUiApp app) : IClassFixture<ReaderUiApp>
{
    private static readonly string[] UiLanguages = ["zh-Hans", "zh-Hant", "en"];

    private static string Shot(string name) => Path.Combine(BrowserApp.Screenshots, name + ".png");

    private async Task<string> Get(string path)
    {
        using var client = new HttpClient();
        return await client.GetStringAsync(app.BaseUrl + path);
    }

    /// <summary>The long report's address with the query, as a search result links it.</summary>
    private async Task<string> MarkedArticle()
    {
        var html = await Get("/search?q=" + Uri.EscapeDataString(ReaderUiApp.Query));
        return Regex.Match(html, "href=\"(/a/[0-9a-z]{12}\\?q=[^\"]+)\"[^>]*>新闻<mark>").Groups[1].Value;
    }

    private async Task<string> RevisionPage()
    {
        var html = await Get("/search?q=" + Uri.EscapeDataString("图书馆"));
        var article = Regex.Match(html, "href=\"(/a/[0-9a-z]{12})\\?").Groups[1].Value;
        return Regex.Match(await Get(article), "href=\"(/a/[0-9a-z]{12}/revision/[0-9]+)\"").Groups[1].Value;
    }

    [BrowserFact]
    public async Task No_page_type_is_wider_than_a_phone_or_a_desktop_in_any_ui_language()
    {
        var article = await MarkedArticle();
        var revision = await RevisionPage();
        Assert.NotEmpty(revision);
        string[] paths = ["/", "/search?q=" + Uri.EscapeDataString("签署"), article, "/sources", "/archive/2024/06", "/archive/2024", "/archive/2024/06/21", "/operator", revision,
            "/tags", "/tags/" + Uri.EscapeDataString("城市报道"), "/trends?q=" + Uri.EscapeDataString("新闻") + "&q=" + Uri.EscapeDataString("图书馆"), "/search/help", "/feeds"];
        foreach (var (w, h) in new[] { (390, 844), (1280, 800), (320, 640), (430, 932) })
        {
            var page = await app.NewPageAsync(w, h);
            foreach (var ui in UiLanguages)
            {
                foreach (var path in paths)
                {
                    var response = await page.GotoAsync(app.BaseUrl + path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "lang=" + ui);
                    Assert.Equal(200, response!.Status);
                    var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
                    Assert.True(scroll <= inner, $"{path} in {ui} at {w}px is {scroll}px wide");
                }
                if (w == 390)
                {
                    // The first article starts on the first screen; the search page has one search box.
                    await page.GotoAsync(app.BaseUrl + "/?lang=" + ui);
                    Assert.True((await page.Locator(".article-item").First.BoundingBoxAsync())!.Y < 600);
                    await TouchTargets(page);
                    await page.GotoAsync(app.BaseUrl + "/search?q=" + Uri.EscapeDataString("签署") + "&lang=" + ui);
                    Assert.Equal(1, await page.Locator("input[type=search]").CountAsync());
                    Assert.True((await page.Locator(".results .article-item").First.BoundingBoxAsync())!.Y < 844);
                    await TouchTargets(page);
                }
            }
            await page.Context.CloseAsync();
        }
    }

    // Every visible control in the header, the filters, the pager and the footer is at least 44 px tall.
    private static async Task TouchTargets(IPage page)
    {
        var small = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll(".site-header a, .site-header button, .site-header input, main summary, main button, main input, main select, .chips a, .pager a, .prefs button")]
              .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().height < 44 && !e.matches(".visually-hidden, [type=hidden]"))
              .map(e => (e.id || e.className || e.tagName) + " " + Math.round(e.getBoundingClientRect().height))
            """);
        Assert.True(small.Length == 0, page.Url + ": " + string.Join(", ", small));
    }

    [BrowserFact]
    public async Task The_hit_navigator_walks_every_mark_with_n_and_p_and_keeps_the_place_on_reload()
    {
        var page = await app.NewPageAsync(390, 844, "en-US");
        await page.GotoAsync(app.BaseUrl + "/search?q=" + Uri.EscapeDataString(ReaderUiApp.Query));
        await page.ClickAsync(".results .article-title a[href*='" + (await MarkedArticle())[..15] + "']");
        Assert.Equal(ReaderUiApp.Marks, await page.Locator("mark.hit").CountAsync());
        // No arrows between the words; with script, the navigator instead of the anchor list.
        Assert.Equal(0, await page.Locator("article .body a[href^='#hit-']").CountAsync());
        Assert.True(await page.Locator(".hit-nav").IsVisibleAsync());
        Assert.False(await page.Locator(".hit-list").IsVisibleAsync());
        Assert.Equal($"0 / {ReaderUiApp.Marks}", await page.InnerTextAsync(".hit-pos"));
        for (var i = 1; i <= ReaderUiApp.Marks; i++)
        {
            await page.Keyboard.PressAsync("n");
            Assert.Equal($"{i} / {ReaderUiApp.Marks}", await page.InnerTextAsync(".hit-pos"));
            Assert.Equal("hit-" + i, await page.EvaluateAsync<string>("document.activeElement.id"));
            Assert.Equal(1, await page.Locator("mark.hit.current").CountAsync());
            Assert.EndsWith("#hit-" + i, page.Url);
            Assert.True(await page.Locator("#hit-" + i).IsVisibleAsync() && await InViewport(page, "#hit-" + i));
            if (i == 3)
            {
                await page.ScreenshotAsync(new() { Path = Shot("article-navigator-en-phone") });
            }
        }
        // Past the last, the first; p steps back; the ▲ button does too.
        await page.Keyboard.PressAsync("n");
        Assert.Equal($"1 / {ReaderUiApp.Marks}", await page.InnerTextAsync(".hit-pos"));
        await page.Keyboard.PressAsync("p");
        Assert.Equal($"{ReaderUiApp.Marks} / {ReaderUiApp.Marks}", await page.InnerTextAsync(".hit-pos"));
        await page.ClickAsync(".hit-nav button[data-hit-step='-1']");
        await page.ClickAsync(".hit-nav button[data-hit-step='-1']");
        Assert.Equal($"{ReaderUiApp.Marks - 2} / {ReaderUiApp.Marks}", await page.InnerTextAsync(".hit-pos"));
        Assert.Equal("Match 23 of 25", await page.GetAttributeAsync(".hit-pos", "title"));
        // A reload keeps the place.
        await page.ReloadAsync();
        Assert.Equal($"{ReaderUiApp.Marks - 2} / {ReaderUiApp.Marks}", await page.InnerTextAsync(".hit-pos"));
        Assert.Equal("hit-" + (ReaderUiApp.Marks - 2), await page.EvaluateAsync<string>("document.activeElement.id"));
        // × leaves the article without marks.
        await page.ClickAsync(".hit-nav a");
        Assert.Equal(0, await page.Locator("mark.hit").CountAsync());
        await page.Context.CloseAsync();
    }

    private static Task<bool> InViewport(IPage page, string selector) =>
        page.EvaluateAsync<bool>($"(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }})()");

    [BrowserFact]
    public async Task Without_script_the_marks_are_reached_through_the_list_of_anchors()
    {
        var context = await app.Browser.NewContextAsync(new() { JavaScriptEnabled = false, Locale = "zh-CN", ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + await MarkedArticle());
        Assert.False(await page.Locator(".hit-nav").IsVisibleAsync());
        Assert.True(await page.Locator(".hit-list").IsVisibleAsync());
        Assert.StartsWith("匹配：", await page.InnerTextAsync(".hit-list"));
        var links = page.Locator(".hit-list a");
        Assert.Equal(Enumerable.Range(1, ReaderUiApp.Marks).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), await links.AllInnerTextsAsync());
        await links.Nth(16).ClickAsync();
        Assert.EndsWith("#hit-17", page.Url);
        Assert.Equal(1, await page.Locator("mark#hit-17:target").CountAsync());
        await page.ScreenshotAsync(new() { Path = Shot("article-anchors-noscript-phone") });
        Assert.True(await InViewportNoScript(page.Locator("#hit-17")));
        await context.CloseAsync();
    }

    private static async Task<bool> InViewportNoScript(ILocator l)
    {
        var box = await l.BoundingBoxAsync();
        return box is { } b && b.Y >= 0 && b.Y + b.Height <= 844;
    }

    [BrowserFact]
    public async Task Icons_manifest_and_a_description_on_every_page()
    {
        using var client = new HttpClient();
        foreach (var (path, type) in new[] { ("/favicon.ico", "image/x-icon"), ("/icons/icon.svg", "image/svg+xml"), ("/icons/icon-192.png", "image/png"), ("/icons/icon-512.png", "image/png"), ("/icons/icon-180.png", "image/png") })
        {
            using var r = await client.GetAsync(app.BaseUrl + path);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(type, r.Content.Headers.ContentType?.MediaType);
        }
        using (var m = await client.GetAsync(app.BaseUrl + "/manifest.webmanifest?lang=zh-Hant"))
        {
            Assert.Equal("application/manifest+json", m.Content.Headers.ContentType?.MediaType);
            var json = JsonDocument.Parse(await m.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("zh-Hant", json.GetProperty("lang").GetString());
            Assert.Equal(3, json.GetProperty("icons").GetArrayLength());
        }
        var article = await MarkedArticle();
        foreach (var path in new[] { "/", "/search?q=x", article, "/sources", "/archive/2024/06" })
        {
            var html = await Get(path);
            var descriptions = Regex.Matches(html, "<meta name=\"description\" content=\"([^\"]+)\">");
            Assert.Single(descriptions);
            Assert.Contains("<link rel=\"icon\" href=\"/favicon.", html);
            Assert.Contains("<link rel=\"manifest\"", html);
        }
        // The article's own words describe it.
        Assert.Contains("<meta name=\"description\" content=\"第1段：新闻存档", await Get(article));
    }

    [BrowserFact]
    public async Task Theme_and_text_size_persist_and_apply_before_the_body_is_parsed()
    {
        var page = await app.NewPageAsync(locale: "en-US");
        // Records the theme at the moment <body> starts, before anything can paint.
        await page.AddInitScriptAsync("""
            new MutationObserver((_, o) => { if (document.body) { window.themeAtBody = document.documentElement.dataset.theme ?? "none"; o.disconnect(); } })
              .observe(document, { childList: true, subtree: true });
            """);
        await page.GotoAsync(app.BaseUrl + "/");
        Assert.Equal("true", await page.GetAttributeAsync(".prefs button[data-theme-set=auto]", "aria-pressed"));
        await page.ClickAsync(".prefs button[data-theme-set=dark]");
        await page.ClickAsync(".prefs button[data-text-set=large]");
        await page.GotoAsync(app.BaseUrl + "/sources");
        Assert.Equal("dark", await page.EvaluateAsync<string>("window.themeAtBody"));
        Assert.Equal("large", await page.GetAttributeAsync("html", "data-text"));
        Assert.Equal("rgb(22, 24, 28)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        Assert.Equal("20.1875px", await page.EvaluateAsync<string>("getComputedStyle(document.body).fontSize"));
        Assert.Equal("true", await page.GetAttributeAsync(".prefs button[data-theme-set=dark]", "aria-pressed"));
        await page.ScreenshotAsync(new() { Path = Shot("sources-dark-large") });
        await page.ClickAsync(".prefs button[data-theme-set=auto]");
        await page.ReloadAsync();
        Assert.Equal("none", await page.EvaluateAsync<string>("window.themeAtBody"));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Shortcuts_search_move_through_a_list_and_open_their_help()
    {
        var page = await app.NewPageAsync(locale: "zh-TW");
        await page.GotoAsync(app.BaseUrl + "/");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        var titles = page.Locator("main .article-title a");
        Assert.Equal(await titles.Nth(1).GetAttributeAsync("href"), await page.EvaluateAsync<string>("document.activeElement.getAttribute('href')"));
        await page.Keyboard.PressAsync("k");
        Assert.Equal(await titles.Nth(0).GetAttributeAsync("href"), await page.EvaluateAsync<string>("document.activeElement.getAttribute('href')"));
        await page.Keyboard.PressAsync("?");
        Assert.True(await page.Locator("#keys-help").IsVisibleAsync());
        Assert.Contains("鍵盤快速鍵", await page.InnerTextAsync("#keys-help"));
        await page.ScreenshotAsync(new() { Path = Shot("keys-help-zh-Hant") });
        await page.Keyboard.PressAsync("Escape");
        Assert.False(await page.Locator("#keys-help").IsVisibleAsync());
        await page.Keyboard.PressAsync("/");
        Assert.Equal("site-q", await page.EvaluateAsync<string>("document.activeElement.id"));
        // Typed into the box, j is a letter, not a shortcut.
        await page.Keyboard.TypeAsync("j");
        Assert.Equal("j", await page.InputValueAsync("#site-q"));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Date_archive_pages_show_a_month_calendar_with_the_count_per_day()
    {
        var month = await Get("/archive/2024/06?lang=en");
        Assert.Single(Regex.Matches(month, "<table class=\"month\">"));
        // 20 June (the library report and its revision, Shanghai time), 19 June (the seed), 21 June (the long report).
        foreach (var (day, count) in new[] { ("19", 1), ("20", 1), ("21", 1) })
        {
            Assert.Matches($"<a href=\"/archive/2024/06/{day}\" aria-label=\"[^\"]+ · {count} article\">{int.Parse(day, System.Globalization.CultureInfo.InvariantCulture)}<span class=\"n\">{count}</span></a>", month);
        }
        Assert.DoesNotContain("/archive/2024/06/18\"", month);
        Assert.Equal(12, Regex.Matches(await Get("/archive/2024"), "<table class=\"month\">").Count);
        Assert.Contains("aria-current=\"date\"", await Get("/archive/2024/06/21"));
        var page = await app.NewPageAsync(390, 844);
        await page.GotoAsync(app.BaseUrl + "/archive/2024/06?lang=zh-Hans");
        await page.ClickAsync(".calendar a[href$='/archive/2024/06/21']");
        Assert.EndsWith("/archive/2024/06/21", page.Url);
        Assert.Equal(1, await page.Locator(".article-item").CountAsync());
        await page.ScreenshotAsync(new() { Path = Shot("archive-day-zh-phone") });
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task An_article_shows_its_reading_time_and_prints_without_navigation()
    {
        var page = await app.NewPageAsync(locale: "en-US");
        await page.GotoAsync(app.BaseUrl + await MarkedArticle());
        Assert.Equal("2 min read", await page.InnerTextAsync(".reading-time"));
        Assert.False(await page.Locator(".print-only").IsVisibleAsync());
        await page.EmulateMediaAsync(new() { Media = Microsoft.Playwright.Media.Print });
        Assert.False(await page.Locator(".site-header").IsVisibleAsync());
        Assert.False(await page.Locator(".hit-nav").IsVisibleAsync());
        Assert.False(await page.Locator(".site-footer").IsVisibleAsync());
        var printed = await page.InnerTextAsync(".print-only");
        Assert.Contains("https://archive.example.org/2024/06/how.html", printed);
        Assert.Matches("/a/[0-9a-z]{12}", printed);
        Assert.True(await page.Locator("article h1").IsVisibleAsync());
        Assert.True(await page.Locator("article .meta time").IsVisibleAsync());
        await page.PdfAsync(new() { Path = Path.Combine(BrowserApp.Screenshots, "article-print.pdf") });
        await page.Context.CloseAsync();
    }
}
