using NewsArchive.Tests.Browser;

namespace NewsArchive.Tests.Hant;

/// <summary>The three UI languages, the Taiwan Traditional view and the article page's search marks in real Chromium, over the repo's seeds.</summary>
public sealed class HantBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static string Shot(string name) => Path.Combine(BrowserApp.Screenshots, name + ".png");

    [BrowserFact]
    public async Task Home_search_and_a_taiwan_traditional_article_fit_desktop_and_phone_in_every_ui_language()
    {
        foreach (var (locale, ui, search) in new[] { ("zh-TW", "zh-Hant", "搜尋"), ("zh-CN", "zh-Hans", "搜索"), ("en", "en", "Search") })
        {
            foreach (var (device, w, h) in new[] { ("desktop", 1280, 900), ("phone", 390, 844) })
            {
                var page = await app.NewPageAsync(w, h, locale);
                await page.GotoAsync(app.BaseUrl + "/");
                Assert.Equal(ui, await page.GetAttributeAsync("html", "lang"));
                Assert.Equal(search, await page.InnerTextAsync(".search-box button"));
                Assert.Equal("true", await page.GetAttributeAsync($".ui-lang a[hreflang={ui}]", "aria-current"));
                await Check(page, $"home-{ui}-{device}");
                await page.GotoAsync(app.BaseUrl + "/search?q=" + Uri.EscapeDataString("簽署"));
                Assert.True(await page.Locator(".period-chart a").CountAsync() > 0);
                await Check(page, $"search-{ui}-{device}");
                // The Simplified article on Putin's treaty, read in Taiwan Traditional: the switch's link sets the cookie.
                await page.ClickAsync(".results .article-title a");
                await page.ClickAsync(".script-switch a[href*='script=hant-tw']");
                Assert.Equal("zh-Hant-TW", await page.GetAttributeAsync("article", "lang"));
                Assert.Contains("簽署", await page.InnerTextAsync("article h1"));
                Assert.Equal("true", await page.GetAttributeAsync(".script-switch a[href*='script=hant-tw']", "aria-current"));
                // Its first screen: the whole article is several phone screens long.
                await Check(page, $"article-hant-tw-{ui}-{device}", fullPage: false);
                await page.Context.CloseAsync();
            }
        }
    }

    // A screenshot, and nothing wider than the window.
    private static async Task Check(Microsoft.Playwright.IPage page, string name, bool fullPage = true)
    {
        await page.ScreenshotAsync(new() { Path = Shot(name), FullPage = fullPage });
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), name + " is wider than the window");
    }

    [BrowserFact]
    public async Task A_traditional_search_marks_the_simplified_article_and_steps_through_with_the_keyboard()
    {
        // A zh-TW reader reads in Taiwan Traditional by default; here, as written.
        var page = await app.NewPageAsync(locale: "zh-TW");
        await page.GotoAsync(app.BaseUrl + "/search?script=original&q=" + Uri.EscapeDataString("簽署"));
        await page.ClickAsync(".results .article-title a");
        Assert.Contains("?q=", page.Url);
        var marks = await page.Locator("article mark.hit").AllInnerTextsAsync();
        Assert.NotEmpty(marks);
        Assert.All(marks, m => Assert.Equal("签署", m));
        Assert.Contains($"本文共 {marks.Count} 處符合", await page.InnerTextAsync("#hits"));
        // Keyboard only: n twice, and the address names the second mark.
        await page.Keyboard.PressAsync("n");
        await page.Keyboard.PressAsync("n");
        Assert.EndsWith(marks.Count > 1 ? "#hit-2" : "#hit-1", page.Url);
        await page.ScreenshotAsync(new() { Path = Shot("article-zh-Hant-marks") });
        await page.Context.CloseAsync();
    }
}
