using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using NewsArchive.Tests.Api;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Media;

/// <summary>
/// The real app over a seeds folder holding one article with the given body, with media settings
/// (Archive:Media:*) on top; the origin's port is allowed the way an operator allows a local mirror.
/// Fetching is on unless <c>fetch</c> is false, which leaves Archive:Media:Fetch at its shipped default;
/// the per-client rate limits (Archive:RateLimits) are off unless <c>rateLimits</c>.
/// </summary>
public sealed class MediaApp : IDisposable
{
    private readonly string _seeds = TestData.TempDir("media-seeds");
    private readonly AppFactory _factory;

    public MediaApp(string bodyHtml, IReadOnlyDictionary<string, string> media, bool fetch = true, bool rateLimits = false)
    {
        File.WriteAllText(Path.Combine(_seeds, "article.txt"),
            $"<!--1718805542000-->\n[Pictures of the archive](https://news.example/pictures)\n------\n<p>An article with pictures, for the media store.</p>{bodyHtml}\n");
        _factory = new AppFactory(_seeds, rateLimits: rateLimits);
        Factory = _factory.WithWebHostBuilder(b =>
        {
            if (fetch)
            {
                b.UseSetting("Archive:Media:Fetch", "true");
            }
            b.UseSetting("Archive:Media:PollMilliseconds", "100");
            foreach (var (key, value) in media)
            {
                b.UseSetting("Archive:Media:" + key, value);
            }
        });
        Db = TestBackend.At(_factory.DatabasePath);
    }

    public WebApplicationFactory<Program> Factory { get; }

    public Database Db { get; }

    public static string Article(params string[] imgs) => string.Concat(imgs.Select(src => $"<p><img src=\"{src}\" alt=\"{Path.GetFileName(src)}\"></p>"));

    /// <summary>Waits until the article is in and the queue holds <paramref name="urls"/> rows, none queued or being fetched.</summary>
    public async Task<Dictionary<string, MediaRow>> SettledAsync(HttpClient client, int urls, bool fetching = true)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1");
            if (page.GetProperty("total").GetInt64() > 0)
            {
                using var c = Db.OpenUnpooled();
                var rows = MediaStore.All(c);
                if (rows.Count == urls && (!fetching || rows.All(r => r.State is "stored" or "failed")))
                {
                    return rows.ToDictionary(r => r.Url);
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the media queue did not settle");
            }
            await Task.Delay(100);
        }
    }

    public static async Task<string> PermalinkAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1")).GetProperty("results")[0].GetProperty("permalink").GetString()!;

    public void Dispose()
    {
        Factory.Dispose();
        _factory.Dispose();
        TestData.TryDelete(_seeds);
    }
}
