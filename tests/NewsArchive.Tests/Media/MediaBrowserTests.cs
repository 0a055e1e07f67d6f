using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NewsArchive.Tests.Browser;

namespace NewsArchive.Tests.Media;

/// <summary>An article with pictures in real Chromium: served from the archive, and under Remote=click nothing leaves for the origin until a click.</summary>
public sealed class MediaBrowserTests
{
    private static readonly string[] Paths = ["/a.png", "/a.gif", "/a.webp", "/a.jpg"];

    private static Task<Origin> StartOriginAsync() => Origin.StartAsync(new Dictionary<string, RequestDelegate>
    {
        ["/a.png"] = Origin.Bytes(Images.Png, "image/png"),
        ["/a.gif"] = Origin.Bytes(Images.Gif, "image/gif"),
        ["/a.webp"] = Origin.Bytes(Images.WebP, "image/webp"),
        ["/a.jpg"] = Origin.Bytes(Images.Jpeg, "image/jpeg"),
    });

    private static string StartKestrel(MediaApp app)
    {
        app.Factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app.Factory.StartServer();
        return app.Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserApp.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>Once loaded, whether each image of the article body decoded.</summary>
    private const string Decoded = "[...document.querySelectorAll('article .body img')].map(i => i.complete && i.naturalWidth > 0)";

    [BrowserFact]
    public async Task Every_image_of_the_article_comes_from_the_archive()
    {
        await using var origin = await StartOriginAsync();
        using var app = new MediaApp(MediaApp.Article([.. Paths.Select(p => origin.Url + p)]), new Dictionary<string, string> { ["Allow:0"] = origin.HostPort });
        var baseUrl = StartKestrel(app);
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var rows = await app.SettledAsync(client, Paths.Length);
        Assert.All(rows.Values, r => Assert.Equal("stored", r.State));
        var fetchedByArchive = origin.Total;

        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        var page = await browser.NewPageAsync();
        var requests = new ConcurrentBag<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        await page.GotoAsync(baseUrl + await MediaApp.PermalinkAsync(client), new() { WaitUntil = WaitUntilState.NetworkIdle });

        var srcs = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('article img')].map(i => i.getAttribute('src'))");
        Assert.Equal(Paths.Select(p => "/media/" + rows[origin.Url + p].Hash), srcs);
        // PNG, GIF and WebP decode in Chromium; the tiny JPEG is arithmetic-coded, which Chromium does not decode.
        Assert.Equal(new[] { true, true, true }, (await page.EvaluateAsync<bool[]>(Decoded))[..3]);
        Assert.DoesNotContain(requests, u => u.StartsWith(origin.Url, StringComparison.Ordinal));
        Assert.Equal(fetchedByArchive, origin.Total);
        Assert.Equal(4, requests.Count(u => u.StartsWith(baseUrl + "/media/", StringComparison.Ordinal)));
        await browser.CloseAsync();
    }

    [BrowserFact]
    public async Task Under_click_no_request_leaves_for_the_origin_until_the_reader_clicks()
    {
        await using var origin = await StartOriginAsync();
        // No background fetching: every image is still only at its origin.
        using var app = new MediaApp(MediaApp.Article([.. Paths.Select(p => origin.Url + p)]), new Dictionary<string, string>
        {
            ["Allow:0"] = origin.HostPort,
            ["Remote"] = "click",
            ["Concurrency"] = "0",
        });
        var baseUrl = StartKestrel(app);
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await app.SettledAsync(client, Paths.Length, fetching: false);
        var permalink = await MediaApp.PermalinkAsync(client);
        var csp = (await client.GetAsync(permalink)).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self';", csp);

        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        var page = await browser.NewPageAsync();
        var requests = new ConcurrentBag<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        var violations = new ConcurrentBag<string>();
        page.Console += (_, m) => violations.Add(m.Text);
        await page.GotoAsync(baseUrl + permalink, new() { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.Equal(0, await page.Locator("article img").CountAsync());
        Assert.Equal(4, await page.Locator("article button.media-load").CountAsync());
        Assert.Equal(0, origin.Total);

        await page.ClickAsync(".media-placeholder[data-alt='a.png'] button.media-load");
        // Polled from here: WaitForFunction evaluates a string, which the site's CSP forbids.
        for (var tries = 0; !(await page.EvaluateAsync<bool[]>(Decoded) is [true]); tries++)
        {
            Assert.True(tries < 100, "the clicked image did not load");
            await Task.Delay(100);
        }
        Assert.StartsWith(baseUrl + "/media/", await page.EvaluateAsync<string>("document.querySelector('article .body img').currentSrc"));
        // The archive fetched that one image; the reader's browser never contacted the origin.
        Assert.Equal(1, origin.Count("/a.png"));
        Assert.Equal(1, origin.Total);
        Assert.DoesNotContain(requests, u => u.StartsWith(origin.Url, StringComparison.Ordinal));
        Assert.Equal(3, await page.Locator("article button.media-load").CountAsync());
        Assert.DoesNotContain(violations, v => v.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        await browser.CloseAsync();
    }

    /// <summary>Every img on the page that is displayed has decoded (a broken one has naturalWidth 0).</summary>
    private const string Broken = "[...document.querySelectorAll('img')].filter(i => i.getClientRects().length > 0 && !(i.complete && i.naturalWidth > 0)).map(i => i.src)";

    [BrowserFact]
    public async Task With_the_shipped_settings_an_image_not_in_the_archive_is_a_placeholder_never_a_broken_image()
    {
        // Nothing fetched (Archive:Media:Fetch false, Remote load: the defaults); the origins cannot be reached.
        const string unreachable = "https://127.0.0.1:9/";
        using var app = new MediaApp($"<p><img src=\"{unreachable}a.png\" alt=\"金正恩与普京\"></p><figure><img src=\"{unreachable}b.jpg\" width=\"100%\"></figure>",
            new Dictionary<string, string>(), fetch: false);
        var baseUrl = StartKestrel(app);
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await app.SettledAsync(client, 2, fetching: false);
        var permalink = await MediaApp.PermalinkAsync(client);
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        foreach (var (lang, label, original) in new[] { ("zh-Hans", "图片未存档", "原始图片"), ("en", "Picture not in the archive", "Original picture") })
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync($"{baseUrl}{permalink}?lang={lang}", new() { WaitUntil = WaitUntilState.NetworkIdle });
            // media.js tried the origins; they failed, so the boxes stay.
            await Task.Delay(500);
            Assert.Empty(await page.EvaluateAsync<string[]>(Broken));
            Assert.Equal(["金正恩与普京", label], await page.Locator("article .media-placeholder .media-alt").AllInnerTextsAsync());
            Assert.Equal([original, original], await page.Locator("article .media-placeholder a.media-original").AllInnerTextsAsync());
            Assert.Equal(unreachable + "a.png", await page.GetAttributeAsync("article .media-placeholder a.media-original >> nth=0", "href"));
            var box = await page.Locator("article .media-placeholder >> nth=0").BoundingBoxAsync();
            Assert.True(box is { Width: > 200, Height: > 100 }, $"the placeholder is {box?.Width}×{box?.Height}");
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Screenshots, $"placeholder-{lang}.png"), FullPage = true });
            await page.CloseAsync();
        }
        await browser.CloseAsync();
    }
}
