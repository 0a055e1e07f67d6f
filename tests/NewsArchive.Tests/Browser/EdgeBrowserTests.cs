using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace NewsArchive.Tests.Browser;

/// <summary>The feed opened in Chromium (through wwwroot/feed.xsl, under the site's CSP), and the feeds page.</summary>
public sealed class EdgeBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static string Shot(string name) => Path.Combine(BrowserApp.Screenshots, name + ".png");

    [BrowserFact]
    public async Task A_feed_opens_as_a_readable_page_in_its_language()
    {
        foreach (var (query, title, copy, shot) in new[]
        {
            ("", "新闻存档：最新文章", "将此地址复制到你的订阅阅读器中：", "feed-zh"),
            ("?lang=en", "NewsArchive: Latest articles", "Copy this address into your feed reader:", "feed-en"),
            ("?source=rfi&lang=zh-Hant", "新聞存檔：法廣", "將此網址複製到你的訂閱閱讀器中：", "feed-source-zh-hant"),
        })
        {
            var page = await app.NewPageAsync();
            var console = new ConcurrentBag<string>();
            page.Console += (_, m) => console.Add(m.Text);
            // An XSLT result never reports its load to Playwright: wait for what it draws instead.
            await page.GotoAsync(app.BaseUrl + "/feed.atom" + query, new() { WaitUntil = WaitUntilState.Commit });
            await page.WaitForSelectorAsync(".article-item");
            Assert.Equal(title, await page.InnerTextAsync("h1"));
            Assert.Equal(title, await page.TitleAsync());
            Assert.Equal(copy, await page.InnerTextAsync("label[for=feed-url]"));
            Assert.Equal(app.BaseUrl + "/feed.atom" + query, await page.InputValueAsync("#feed-url"));
            Assert.True(await page.Locator(".article-item").CountAsync() >= 1);
            // The site's stylesheet applied (a link, which the CSP allows): the header has its background.
            Assert.NotEqual("rgba(0, 0, 0, 0)", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.site-header')).backgroundColor"));
            // The CSP's only complaints are about the deprecation banner Chromium adds to every XSLT result.
            Assert.Equal(0, await page.EvaluateAsync<int>("document.querySelectorAll('body :not(xslt-warning-banner)[style], script').length"));
            Assert.Contains(console, m => m.Contains("XSLT", StringComparison.Ordinal));
            await page.ScreenshotAsync(new() { Path = Shot(shot), FullPage = false });
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task The_footer_leads_to_the_feeds_page_and_on_to_a_feed()
    {
        var page = await app.NewPageAsync(locale: "en-US");
        await page.GotoAsync(app.BaseUrl + "/?lang=en");
        await page.ClickAsync("footer a[href$='/feeds']");
        Assert.Equal("Feeds", await page.InnerTextAsync("h1"));
        Assert.Equal(["NewsArchive: Latest articles", "NewsArchive: RFI", "NewsArchive: VOA"],
            await page.Locator(".feeds-list a").AllInnerTextsAsync());
        await page.ScreenshotAsync(new() { Path = Shot("feeds-en") });
        await page.ClickAsync(".feeds-list a >> nth=2");
        Assert.Equal("NewsArchive: VOA", await page.InnerTextAsync("h1"));
        Assert.Equal(1, await page.Locator(".article-item").CountAsync());
    }
}
