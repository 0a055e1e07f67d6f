using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Operator;

/// <summary>
/// Absolute URLs behind a reverse proxy: from Archive:PublicBaseUrl when set, from X-Forwarded-*
/// only when the connection comes from an Archive:KnownProxies address; never a forged header.
/// Requests go through the test server with a chosen remote address (a client cannot set that).
/// </summary>
public sealed class PublicUrlTests
{
    private const string Proxy = "10.1.2.3";
    private const string Stranger = "203.0.113.9";

    private static readonly string[] Forged = ["evil.example", "forged.example"];

    private static async Task<(AppFactory App, string Permalink)> StartAsync(Dictionary<string, string> settings)
    {
        var app = new AppFactory(TestData.Seeds, settings: settings);
        await app.ClientWithArticlesAsync(2);
        using var c = TestBackend.At(app.DatabasePath).OpenUnpooled();
        return (app, ArticleStore.Page(c, new ArticleFilter(), 0, 1)[0].Permalink);
    }

    private static async Task<(int Status, string Body)> GetAsync(AppFactory app, string path, string remote, string host,
        Dictionary<string, string>? headers = null)
    {
        var ctx = await app.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
            c.Request.Host = new HostString(host);
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            foreach (var (k, v) in headers ?? [])
            {
                c.Request.Headers[k] = v;
            }
        });
        using var reader = new StreamReader(ctx.Response.Body);
        return (ctx.Response.StatusCode, await reader.ReadToEndAsync());
    }

    private static readonly Dictionary<string, string> ForgedHeaders = new()
    {
        ["X-Forwarded-Host"] = "forged.example",
        ["X-Forwarded-Proto"] = "http",
        ["X-Forwarded-For"] = "198.51.100.7",
    };

    [Fact]
    public async Task With_a_base_url_every_absolute_url_uses_it_and_no_forged_host_appears()
    {
        var (app, permalink) = await StartAsync(new()
        {
            ["Archive:PublicBaseUrl"] = "https://news.example.org/archive/",
            ["Archive:KnownProxies:0"] = Proxy,
        });
        using var _ = app;
        foreach (var remote in new[] { Stranger, Proxy })
        {
            // A forged Host is refused outright (AllowedHosts follows the base URL).
            var (status, body) = await GetAsync(app, $"/archive/a/{permalink}", remote, "evil.example", ForgedHeaders);
            Assert.Equal(400, status);
            Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);

            foreach (var path in new[] { $"/archive/a/{permalink}", "/archive/feed.atom", "/archive/sitemap.xml", "/archive/sitemap-1.xml", "/archive/robots.txt" })
            {
                (status, body) = await GetAsync(app, path, remote, "news.example.org", ForgedHeaders);
                Assert.True(status == 200, $"{path} from {remote}: {status}");
                foreach (var f in Forged)
                {
                    Assert.DoesNotContain(f, body, StringComparison.Ordinal);
                }
                Assert.DoesNotContain("http://", body.Replace("http://www.w3.org", "", StringComparison.Ordinal)
                    .Replace("http://www.sitemaps.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
                Assert.Contains("https://news.example.org/archive/", body, StringComparison.Ordinal);
            }
        }
        var (_, article) = await GetAsync(app, $"/archive/a/{permalink}", Stranger, "news.example.org");
        var canonical = $"https://news.example.org/archive/a/{permalink}";
        Assert.Contains($"<link rel=\"canonical\" href=\"{canonical}\">", article, StringComparison.Ordinal);
        Assert.Contains($"<meta property=\"og:url\" content=\"{canonical}\">", article, StringComparison.Ordinal);
        Assert.Contains($"\"url\":\"{canonical}\"", article, StringComparison.Ordinal);
        Assert.Contains($"id=\"permalink\" type=\"text\" readonly value=\"{canonical}\"", article, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_base_url_scheme_and_host_come_from_a_known_proxy_only()
    {
        var (app, permalink) = await StartAsync(new() { ["Archive:KnownProxies:0"] = "10.0.0.0/8" });
        using var _ = app;
        var forwarded = new Dictionary<string, string>
        {
            ["X-Forwarded-Host"] = "public.example",
            ["X-Forwarded-Proto"] = "https",
            ["X-Forwarded-For"] = "198.51.100.7",
        };
        var (status, body) = await GetAsync(app, $"/a/{permalink}", Proxy, "127.0.0.1:5000", forwarded);
        Assert.Equal(200, status);
        Assert.Contains($"<link rel=\"canonical\" href=\"https://public.example/a/{permalink}\">", body, StringComparison.Ordinal);

        (status, body) = await GetAsync(app, $"/a/{permalink}", Stranger, "127.0.0.1:5000", forwarded);
        Assert.Equal(200, status);
        Assert.DoesNotContain("public.example", body, StringComparison.Ordinal);
        Assert.Contains($"<link rel=\"canonical\" href=\"http://127.0.0.1:5000/a/{permalink}\">", body, StringComparison.Ordinal);
    }
}
