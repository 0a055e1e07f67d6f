using NewsArchive.Tests.Browser;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Stories;

/// <summary>The browser app over the planted summit (<see cref="StoryThreadTests.WritePlanted"/>).</summary>
public sealed class StoryBrowserApp : BrowserApp
{
    private static readonly TempFolder Seeds = Planted();

    public StoryBrowserApp()
        : base(Seeds.Path)
    {
    }

    private static TempFolder Planted()
    {
        var seeds = new TempFolder("story-browser");
        StoryThreadTests.WritePlanted(seeds.Path);
        return seeds;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Seeds.Dispose();
    }
}

/// <summary>A reader's way to a thread in real Chromium: a day's top stories, the thread page, an article's box.</summary>
public sealed class StoryBrowserTests(StoryBrowserApp app) : IClassFixture<StoryBrowserApp>
{
    [BrowserFact]
    public async Task From_a_days_top_stories_to_the_thread_page_and_an_article_in_two_ui_languages()
    {
        foreach (var (locale, ui, elsewhere) in new[] { ("zh-CN", "zh-Hans", "同一事件的其他报道"), ("en-US", "en", "The same story elsewhere") })
        {
            var page = await app.NewPageAsync(900, 1100, locale);
            await page.GotoAsync(app.BaseUrl + "/archive/2025/07/14");
            await page.ClickAsync(".top-stories a");
            Assert.Matches("/story/[0-9a-z]{12}$", page.Url);
            Assert.Equal(ui, await page.GetAttributeAsync("html", "lang"));
            Assert.Contains("赫尔辛基", await page.InnerTextAsync("h1"));
            Assert.Equal(3, await page.Locator(".story .article-item").CountAsync());
            Assert.True(await page.Locator("svg.trend-chart rect").CountAsync() == 3);
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Screenshots, $"story-{ui}.png") });
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));

            await page.ClickAsync(".story .article-title a");
            Assert.Equal(elsewhere, await page.InnerTextAsync("#elsewhere-heading"));
            Assert.Equal(2, await page.Locator(".story-lines li").CountAsync());
            // On a phone, neither page is wider than the window.
            await page.SetViewportSizeAsync(390, 844);
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
            await page.GoBackAsync();
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
            await page.Context.CloseAsync();
        }
    }
}
