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
        Factory = new AppFactory(_seeds.Path);
        Client = Factory.ClientWithArticlesAsync(2).GetAwaiter().GetResult();
    }

    public AppFactory Factory { get; }

    public HttpClient Client { get; }

    public async Task<string> Html(string url, string? acceptLanguage = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            req.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }
        using var r = await Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
    }

    private void Write(string name, string title, string body, string published) =>
        SeedWriter.Write(_seeds.Path, name, title, $"https://example.com/{name}", body,
            DateTimeOffset.Parse(published, System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        Factory.Dispose();
        _seeds.Dispose();
    }
}
