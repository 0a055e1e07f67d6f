using NewsArchive.Tests.Browser;

namespace NewsArchive.Tests.Hant;

/// <summary>The zh-Hant UI and the article page's search marks in real Chromium, over the repo's seeds.</summary>
public sealed class HantBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static string Shot(string name) => Path.Combine(BrowserApp.Screenshots, name + ".png");

    [BrowserFact]
    public async Task A_zh_TW_browser_gets_the_traditional_ui_on_desktop_and_phone()
    {
        foreach (var (device, w, h) in new[] { ("desktop", 1280, 900), ("phone", 390, 844) })
        {
            var page = await app.NewPageAsync(w, h, "zh-TW");
            await page.GotoAsync(app.BaseUrl + "/");
            Assert.Equal("zh-Hant", await page.GetAttributeAsync("html", "lang"));
            Assert.Equal("搜尋", await page.InnerTextAsync(".search-box button"));
            Assert.Equal("true", await page.GetAttributeAsync(".ui-lang a[hreflang=zh-Hant]", "aria-current"));
            await page.ScreenshotAsync(new() { Path = Shot($"home-zh-Hant-{device}") });
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task A_traditional_search_marks_the_simplified_article_and_steps_through_with_the_keyboard()
    {
        var page = await app.NewPageAsync(locale: "zh-TW");
        await page.GotoAsync(app.BaseUrl + "/search?q=" + Uri.EscapeDataString("簽署"));
        await page.ScreenshotAsync(new() { Path = Shot("search-zh-Hant-facets"), FullPage = true });
        Assert.True(await page.Locator(".period-chart a").CountAsync() > 0);
        await page.ClickAsync(".results .article-title a");
        Assert.Contains("?q=", page.Url);
        var marks = await page.Locator("article mark.hit").AllInnerTextsAsync();
        Assert.NotEmpty(marks);
        Assert.All(marks, m => Assert.Equal("签署", m));
        Assert.Contains($"本文共 {marks.Count} 處符合", await page.InnerTextAsync("#hits"));
        // Keyboard only: focus the first next-link and follow it; the address names the second mark.
        await page.FocusAsync("#hit-1 + .hit-prev + .hit-next");
        await page.Keyboard.PressAsync("Enter");
        Assert.EndsWith(marks.Count > 1 ? "#hit-2" : "#hits", page.Url);
        await page.ScreenshotAsync(new() { Path = Shot("article-zh-Hant-marks") });
        await page.Context.CloseAsync();
    }
}
