using Microsoft.Playwright;

namespace NewsArchive.Tests.Browser;

/// <summary>A reader's path through the site in real Chromium, asserting what is on screen.</summary>
public sealed class ReadingTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static string Shot(string name) => Path.Combine(BrowserApp.Screenshots, name + ".png");

    [BrowserFact]
    public async Task Home_source_filter_article_script_view_language_switch_and_back()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/");
        Assert.Equal("zh-Hans", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("最新文章", await page.InnerTextAsync("h1"));
        await page.ScreenshotAsync(new() { Path = Shot("home-zh-desktop"), FullPage = false });

        // Filter by outlet with the form: no JavaScript involved.
        await page.SelectOptionAsync("#source-select", "voa");
        await page.ClickAsync(".source-form button");
        Assert.Contains("source=voa", page.Url);
        var titles = await page.Locator(".article-title").AllInnerTextsAsync();
        Assert.Equal(["普京与金正恩签署全面战略合作条约，俄朝关系大幅提升"], titles);

        // The article.
        await page.ClickAsync(".article-title a");
        Assert.Matches("/a/[0-9a-z]{12}$", page.Url);
        Assert.Equal("zh-Hans", await page.GetAttributeAsync("article", "lang"));
        Assert.Contains("普京与金正恩签署", await page.InnerTextAsync("article h1"));
        Assert.Equal("noopener noreferrer", await page.GetAttributeAsync("a.original", "rel"));
        await page.ScreenshotAsync(new() { Path = Shot("article-zh-desktop") });

        // Script view: one click shows it in Traditional.
        await page.ClickAsync("a.script");
        Assert.Contains("普京與金正恩簽署", await page.InnerTextAsync("article h1"));
        Assert.Equal("zh-Hant", await page.GetAttributeAsync("article", "lang"));

        // Language switch: the UI turns English, the article stays.
        await page.ClickAsync(".ui-lang a[hreflang=en]");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("Read the original", await page.InnerTextAsync("a.original"));
        Assert.Contains("普京與金正恩簽署", await page.InnerTextAsync("article h1"));
        await page.ScreenshotAsync(new() { Path = Shot("article-en-desktop") });

        // Back past the switch (same address), the script view and the article, to the filtered list.
        await page.GoBackAsync();
        await page.GoBackAsync();
        await page.GoBackAsync();
        Assert.Contains("source=voa", page.Url);
        Assert.Equal(1, await page.Locator(".article-title").CountAsync());
    }

    [BrowserFact]
    public async Task Screenshots_in_both_languages_on_desktop_and_phone()
    {
        foreach (var (lang, locale) in new[] { ("zh", "zh-CN"), ("en", "en-US") })
        {
            foreach (var (device, w, h) in new[] { ("desktop", 1280, 900), ("phone", 390, 844) })
            {
                var page = await app.NewPageAsync(w, h, locale);
                await page.GotoAsync(app.BaseUrl + "/");
                Assert.Equal(lang == "zh" ? "zh-Hans" : "en", await page.GetAttributeAsync("html", "lang"));
                await page.ScreenshotAsync(new() { Path = Shot($"home-{lang}-{device}") });
                await page.ClickAsync(".article-title a");
                await page.WaitForSelectorAsync("article h1");
                await page.ScreenshotAsync(new() { Path = Shot($"article-{lang}-{device}"), FullPage = true });
                // Nothing sticks out sideways on a phone.
                Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
                await page.Context.CloseAsync();
            }
        }
    }

    [BrowserFact]
    public async Task Search_in_both_scripts_and_both_ui_languages_highlights_results()
    {
        foreach (var (query, locale) in new[] { ("簽署", "zh-CN"), ("签署", "en-US") })
        {
            var page = await app.NewPageAsync(locale: locale);
            await page.GotoAsync(app.BaseUrl + "/");
            await page.FillAsync("#site-q", query);
            await page.PressAsync("#site-q", "Enter");
            await page.WaitForSelectorAsync(".results");
            Assert.Equal(query, await page.InputValueAsync("#q"));
            var marks = await page.Locator(".results mark").AllInnerTextsAsync();
            Assert.NotEmpty(marks);
            Assert.All(marks, m => Assert.Equal("签署", m));
            await page.ScreenshotAsync(new() { Path = Shot($"search-{(locale == "zh-CN" ? "zh" : "en")}-{query}") });
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task Copy_permalink_button_copies_the_canonical_url()
    {
        var context = await app.Browser.NewContextAsync(new() { Permissions = ["clipboard-read", "clipboard-write"], Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/");
        await page.ClickAsync(".article-title a");
        var canonical = await page.InputValueAsync("#permalink");
        await page.ClickAsync("button.copy");
        Assert.Equal(canonical, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        Assert.Equal("已复制", await page.InnerTextAsync("button.copy"));
        await context.CloseAsync();
    }
}
