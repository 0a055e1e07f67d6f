using System.Net;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Hant;

/// <summary>The app over a few seeds written for the zh-Hant, hit-marking and facet tests.</summary>
public sealed class HantApp : IDisposable
{
    private readonly TempFolder _seeds = new("hant-seeds");

    public HantApp()
    {
        // Simplified text found by Traditional and full-width queries; one article split by markup.
        Write("taiwan.md", "台湾疫情观察", "<p>台湾的COVID病例下降。</p><p>政府说<b>台湾</b>会继续监测 covid。</p>", "2021-03-05T08:00:00Z");
        Write("software.md", "软件产业", "<p>软件开发人员增加。</p>", "2022-07-01T08:00:00Z");
        // Facets: two sources over two years; the first of these is 2021 in Asia/Shanghai but 2020 in UTC.
        Write("turn.md", "臺灣跨年", "<p>臺灣民眾迎接新年。</p>", "2020-12-31T17:00:00Z", "https://news.example.org/turn");
        Write("late.md", "台湾选举", "<p>台湾投票。</p>", "2021-11-20T08:00:00Z", "https://news.example.org/late");
        Write("next.md", "台湾经济", "<p>台湾出口增长。</p>", "2022-02-01T08:00:00Z");
        Factory = new AppFactory(_seeds.Path, settings: new Dictionary<string, string> { ["Archive:TimeZone"] = "Asia/Shanghai" });
        Client = Factory.ClientWithArticlesAsync(5).GetAwaiter().GetResult();
        // Html's requests keep no cookie: a ?script= in one test must not set the next one's script.
        _plain = Factory.CreateClient(new() { HandleCookies = false });
    }

    private readonly HttpClient _plain;

    public AppFactory Factory { get; }

    public HttpClient Client { get; }

    /// <summary>A page that must be 200, decoded; without a client, one that keeps no cookie.</summary>
    public async Task<string> Html(string url, string? acceptLanguage = null, HttpClient? client = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            req.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }
        using var r = await (client ?? _plain).SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
    }

    private void Write(string name, string title, string body, string published, string? url = null) =>
        SeedWriter.Write(_seeds.Path, name, title, url ?? $"https://example.com/{name}", body,
            DateTimeOffset.Parse(published, System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        Factory.Dispose();
        _seeds.Dispose();
    }
}
