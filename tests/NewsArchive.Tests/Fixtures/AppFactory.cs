using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace NewsArchive.Tests.Fixtures;

/// <summary>
/// The real app over a temporary database (or a given one), ingesting a given seeds folder (or
/// none) at start-up. Per-client rate limits are off unless asked for: tests send many requests from one client.
/// Other settings (Archive:TimeZone, …) are given as key/value pairs.
/// </summary>
public sealed class AppFactory(string? seeds, string? database = null, bool rateLimits = false,
    IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    private readonly TempFolder _dir = new("app");

    public string DatabasePath => database ?? _dir.File("app.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Archive:Database", DatabasePath);
        if (TestBackend.ConnectionFor(DatabasePath) is { } postgres)
        {
            builder.UseSetting("Archive:Postgres", postgres);
        }
        builder.UseSetting("Archive:SeedsPath", seeds ?? _dir.File("no-seeds"));
        builder.UseSetting("Archive:RateLimits:Enabled", rateLimits ? "true" : "false");
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Waits until the background ingest's first run is over.</summary>
    public async Task WaitForIngestAsync()
    {
        var service = Services.GetRequiredService<NewsArchive.Web.Ingest.IngestService>();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (service.LastRun is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the start-up ingest did not finish");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the background ingest has stored at least this many articles.</summary>
    public async Task<HttpClient> ClientWithArticlesAsync(int count, bool cookies = true)
    {
        var client = CreateClient(new() { HandleCookies = cookies });
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1");
            if (page.GetProperty("total").GetInt64() >= count)
            {
                return client;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"ingest did not reach {count} articles");
            }
            await Task.Delay(100);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _dir.Dispose();
    }
}

/// <summary>One app over the repo's seeds/, shared by the tests of a class.</summary>
public sealed class SeedsApp : IDisposable
{
    public AppFactory Factory { get; } = new(TestData.Seeds);

    public HttpClient Client { get; }

    // Shared by many tests: a cookie one sets (?script=, the UI language) must not change another's pages.
    public SeedsApp() => Client = Factory.ClientWithArticlesAsync(2, cookies: false).GetAwaiter().GetResult();

    public void Dispose() => Factory.Dispose();
}
