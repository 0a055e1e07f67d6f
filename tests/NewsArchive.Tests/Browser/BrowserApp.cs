using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Browser;

/// <summary>
/// The app on a real Kestrel port on 127.0.0.1 and Debian's Chromium driven by Playwright
/// (never a downloaded browser). Screenshots go to tests/screenshots/.
/// </summary>
public class BrowserApp : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public static bool Available => File.Exists(Chromium);

    public static readonly string Screenshots = Path.Combine(TestData.RepoRoot, "tests", "screenshots");

    private readonly AppFactory _factory;
    private IPlaywright? _playwright;

    public BrowserApp()
        : this(TestData.Seeds)
    {
    }

    protected BrowserApp(string seeds) => _factory = new AppFactory(seeds);

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await _factory.WaitForIngestAsync();
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, string locale = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = locale });
        return await context.NewPageAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        _factory.Dispose();
    }
}

/// <summary>A browser test: skipped without Chromium, except under CI=true where it must run.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!BrowserApp.Available && !TestData.IsCi)
        {
            Skip = $"Chromium not found at {BrowserApp.Chromium}: run `bash scripts/install-test-deps.sh`";
        }
    }
}
