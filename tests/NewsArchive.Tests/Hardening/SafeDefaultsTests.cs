using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Hardening;

/// <summary>
/// The attacks of the "safe by default" review, with the shipped settings and with the hardened
/// ones: forged forwarded headers, spellings of the search paths, one client under many addresses,
/// parameters a cached page is not keyed on, a 404 asked for with the site's validator.
/// Requests go through the test server with a chosen remote address (a client cannot set that).
/// </summary>
public sealed class SafeDefaultsTests(ITestOutputHelper output)
{
    private const string Stranger = "203.0.113.9";
    private const string Proxy = "10.1.2.3";

    /// <summary>The shipped defaults, and the hardened settings of docs/deploy.md (a proxy elsewhere, one on loopback, the operator on a port of its own).</summary>
    public static TheoryData<string> Settings() => ["defaults", "proxy", "loopback-proxy", "operator-port"];

    private static Dictionary<string, string> SettingsFor(string name) => name switch
    {
        "proxy" => new() { ["Archive:PublicBaseUrl"] = "https://news.example.org/", ["Archive:KnownProxies:0"] = Proxy },
        "loopback-proxy" => new() { ["Archive:KnownProxies:0"] = "127.0.0.1", ["Archive:KnownProxies:1"] = "::1" },
        "operator-port" => new() { ["Archive:OperatorUrls"] = "http://127.0.0.1:9591", ["Archive:KnownProxies:0"] = Proxy },
        _ => [],
    };

    /// <summary>Ways a forged header says "this is the machine itself", in other spellings too.</summary>
    private static readonly (string Name, string Value)[] Forgeries =
    [
        ("X-Forwarded-For", "127.0.0.1"),
        ("x-forwarded-for", "::1"),
        ("X-FORWARDED-FOR", "127.0.0.1, 127.0.0.1"),
        ("X-Forwarded-For", "[::1]:80"),
        ("Forwarded", "for=127.0.0.1"),
        ("X-Real-IP", "127.0.0.1"),
    ];

    private static async Task<HttpContext> SendAsync(AppFactory app, string pathAndQuery, string remote,
        params (string Name, string Value)[] headers)
    {
        var q = pathAndQuery.IndexOf('?');
        return await app.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
            c.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(pathAndQuery[q..]);
            c.Request.Host = new HostString("news.example.org");
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            foreach (var (k, v) in headers)
            {
                c.Request.Headers.Append(k, v);
            }
        });
    }

    private static async Task<string> BodyOf(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Response.Body);
        return await reader.ReadToEndAsync();
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Forged_forwarded_headers_open_no_operator_door(string settings)
    {
        using var app = new AppFactory(TestData.Seeds, settings: SettingsFor(settings));
        await app.WaitForIngestAsync();
        foreach (var path in new[] { "/operator", "/metrics", "/readyz", "/OPERATOR/", "/Metrics/" })
        {
            foreach (var forged in Forgeries)
            {
                foreach (var remote in new[] { Stranger, Proxy, "127.0.0.1", "::1" })
                {
                    var ctx = await SendAsync(app, path, remote, forged);
                    // A forwarded request is never "the machine itself", from wherever it came.
                    Assert.True(ctx.Response.StatusCode == 404, $"{settings}: {path} from {remote} with {forged.Name}: {forged.Value} answered {ctx.Response.StatusCode}");
                }
            }
            Assert.Equal(404, (await SendAsync(app, path, Stranger)).Response.StatusCode);
        }
        // The machine itself, asking directly, is served (on the site's port unless the operator has one of its own).
        var direct = settings == "operator-port" ? 404 : 200;
        Assert.Equal(direct, (await SendAsync(app, "/operator", "127.0.0.1")).Response.StatusCode);
        Assert.Equal(direct, (await SendAsync(app, "/metrics", "::1")).Response.StatusCode);
    }

    [Fact]
    public async Task Without_a_known_proxy_a_forwarded_host_or_scheme_appears_in_no_url()
    {
        using var app = new AppFactory(TestData.Seeds);
        await app.ClientWithArticlesAsync(2);
        string permalink;
        using (var c = TestBackend.At(app.DatabasePath).OpenUnpooled())
        {
            permalink = ArticleStore.Page(c, new ArticleFilter(), 0, 1)[0].Permalink;
        }
        foreach (var remote in new[] { Stranger, "127.0.0.1" })
        {
            foreach (var path in new[] { $"/a/{permalink}", "/feed.atom", "/sitemap.xml", "/sitemap-1.xml", "/robots.txt", "/" })
            {
                var ctx = await SendAsync(app, path, remote, ("X-Forwarded-Host", "forged.example"), ("X-Forwarded-Proto", "https"),
                    ("x-forwarded-host", "forged2.example"));
                var body = await BodyOf(ctx);
                Assert.Equal(200, ctx.Response.StatusCode);
                Assert.DoesNotContain("forged", body, StringComparison.Ordinal);
                Assert.DoesNotContain("https://news.example.org", body, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task A_forged_address_gets_no_fresh_bucket_and_no_loopback_exemption(string settings)
    {
        using var app = new AppFactory(TestData.Seeds, rateLimits: true, settings: SettingsFor(settings));
        await app.WaitForIngestAsync();
        // A proxy listed on loopback forwards for others: its requests are theirs (tested below).
        foreach (var remote in settings == "loopback-proxy" ? [Stranger] : new[] { Stranger, "127.0.0.1" })
        {
            var statuses = new List<int>();
            for (var i = 0; i < 60; i++)
            {
                // A new forged client per request, and one that claims to be the machine itself.
                var forged = i % 2 == 0 ? ("X-Forwarded-For", $"198.51.{i / 250}.{i % 250}") : ("X-Forwarded-For", "127.0.0.1");
                statuses.Add((await SendAsync(app, $"/api/articles?page={i + 1}", remote, forged)).Response.StatusCode);
            }
            output.WriteLine($"{settings} from {remote}: {statuses.Count(s => s == 429)} of 60 refused");
            // The API bucket holds 30: the rest is refused, whatever the headers said.
            Assert.InRange(statuses.Count(s => s == 429), 25, 32);
        }
        // Claiming to be the machine itself exempts no one, through a listed proxy either.
        var claimed = 0;
        for (var i = 0; i < 60; i++)
        {
            var ctx = await SendAsync(app, $"/api/articles?page={i + 1}", settings == "defaults" ? "192.0.2.1" : settings == "proxy" ? Proxy : "::1",
                ("X-Forwarded-For", "127.0.0.1"));
            claimed += ctx.Response.StatusCode == 429 ? 1 : 0;
        }
        // (Its bucket may be spent already: the claimed address is the one counted.)
        Assert.True(claimed >= 25, $"{claimed} of 60 refused");
        // The machine itself, asking directly, is not limited.
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(200, (await SendAsync(app, $"/api/articles?page={i + 1}", "127.0.0.1")).Response.StatusCode);
        }
    }

    [Fact]
    public async Task An_ipv6_client_is_one_bucket_per_64_and_another_network_has_its_own()
    {
        using var app = new AppFactory(TestData.Seeds, rateLimits: true);
        await app.WaitForIngestAsync();
        var refused = 0;
        for (var i = 0; i < 60; i++)
        {
            // Every request from another address of one /64, as a subscriber's network allows.
            var ctx = await SendAsync(app, $"/api/articles?page={i + 1}", $"2001:db8:1:2:{i:x}:{i * 7:x}::{i + 1:x}");
            refused += ctx.Response.StatusCode == 429 ? 1 : 0;
        }
        Assert.InRange(refused, 25, 32);
        Assert.Equal(200, (await SendAsync(app, "/api/articles", "2001:db8:1:3::1")).Response.StatusCode);
        // IPv4 as IPv6 (a dual-stack socket) is the IPv4 client.
        for (var i = 0; i < 40; i++)
        {
            await SendAsync(app, $"/api/articles?page={i + 1}", "198.51.100.20");
        }
        Assert.Equal(429, (await SendAsync(app, "/api/articles", "::ffff:198.51.100.20")).Response.StatusCode);
    }

    /// <summary>Spellings routing takes as the search endpoints; each must meet the searches' limits.</summary>
    public static readonly string[] SearchSpellings =
    [
        "/search", "/Search", "/search/", "/SEARCH/", "/api/search", "/api/Search", "/api/search/", "/API/SEARCH/", "/Api/search",
        "/trends", "/Trends/", "/trends.csv", "/TRENDS.CSV",
    ];

    [Fact]
    public async Task Every_spelling_of_a_search_path_is_limited_as_a_search()
    {
        using var app = new AppFactory(TestData.Seeds, rateLimits: true);
        await app.WaitForIngestAsync();
        var n = 0;
        foreach (var path in SearchSpellings)
        {
            // A client of its own per spelling: the search bucket holds 30, a page bucket 120.
            var remote = $"198.51.100.{++n}";
            var refused = 0;
            for (var i = 0; i < 45; i++)
            {
                var ctx = await SendAsync(app, $"{path}?q=x{i}", remote);
                Assert.True(ctx.Response.StatusCode is 200 or 429, $"{path}: {ctx.Response.StatusCode}");
                refused += ctx.Response.StatusCode == 429 ? 1 : 0;
            }
            Assert.True(refused >= 10, $"{path}: {refused} of 45 refused");
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/sources")]
    [InlineData("/search?q=%E6%99%AE%E4%BA%AC")]
    [InlineData("/archive/2024")]
    [InlineData("/?lang=en")]
    [InlineData("/feed.atom")]
    [InlineData("/api/articles")]
    public async Task A_parameter_the_page_is_not_keyed_on_never_reaches_it_or_its_cached_copy(string url)
    {
        using var app = new AppFactory(TestData.Seeds);
        var client = await app.ClientWithArticlesAsync(2, cookies: false);
        const string Marker = "zqmarker";
        var sep = url.Contains('?') ? "&" : "?";
        foreach (var junk in new[] { $"zz={Marker}", $"ZZ={Marker}1", $"page%00={Marker}2", $"{Marker}3=1", $"x={Marker}4&qq={Marker}5" })
        {
            var poisoned = await client.GetStringAsync(url + sep + junk);
            Assert.DoesNotContain(Marker, poisoned, StringComparison.Ordinal);
            var plain = await client.GetStringAsync(url);
            Assert.DoesNotContain(Marker, plain, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_validator_matches_only_the_resource_it_came_from()
    {
        using var app = new AppFactory(TestData.Seeds);
        var client = await app.ClientWithArticlesAsync(2, cookies: false);
        var home = await client.GetAsync("/");
        var etag = home.Headers.ETag!;
        foreach (var path in new[] { "/a/000000000000", "/no/such/page", "/archive/2024/13", "/api/articles/nope" })
        {
            foreach (var tag in new[] { etag.ToString(), "*" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.TryAddWithoutValidation("If-None-Match", tag);
                request.Headers.IfModifiedSince = DateTimeOffset.UtcNow.AddDays(1);
                var r = await client.SendAsync(request);
                Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{path} with {tag}: {r.StatusCode}");
                Assert.Null(r.Headers.ETag);
            }
        }
        // A page past the end is the last page with a note (EdgeTests): in full, never the home page's 304.
        using var pastEnd = new HttpRequestMessage(HttpMethod.Get, "/?page=999");
        pastEnd.Headers.TryAddWithoutValidation("If-None-Match", etag.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(pastEnd)).StatusCode);
        // Another page with the home page's validator is that other page, in full.
        using var sources = new HttpRequestMessage(HttpMethod.Get, "/sources");
        sources.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(sources)).StatusCode);
        // The operator's metrics change without the archive: no validator, never a 304.
        var metrics = await SendAsync(app, "/metrics", "127.0.0.1", ("If-None-Match", etag.ToString()));
        Assert.Equal(200, metrics.Response.StatusCode);
        Assert.False(metrics.Response.Headers.ContainsKey("ETag"));
    }
}

/// <summary>Searches spelled every way, in parallel, over the dev archive: the search limits hold them all.</summary>
[Collection(DevCorpusCollection.Name)]
public sealed class SearchSpellingLoadTests(DevCorpusDb dev, ITestOutputHelper output)
{
    [CorpusFact]
    public async Task Sixty_parallel_searches_in_every_spelling_keep_healthz_fast_and_none_waits_past_its_budget()
    {
        using var app = new AppFactory(seeds: null, dev.Db.Path);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await client.GetAsync("/healthz");
        var load = Enumerable.Range(0, 60).Select(async i =>
        {
            var path = SafeDefaultsTests.SearchSpellings[i % SafeDefaultsTests.SearchSpellings.Length];
            var sw = System.Diagnostics.Stopwatch.StartNew();
            // Uncached (a distinct query each) and costly: two common characters and an exclusion.
            using var r = await client.GetAsync($"{path}?q={Uri.EscapeDataString($"的 是 -\"{i} 在\"")}");
            return (r.StatusCode, sw.Elapsed, RetryAfter: r.Headers.RetryAfter is not null);
        }).ToList();
        await Task.Delay(100);
        var times = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            times.Add(sw.Elapsed);
            await Task.Delay(50);
        }
        var results = await Task.WhenAll(load);
        output.WriteLine($"healthz {string.Join(", ", times.Select(t => $"{t.TotalMilliseconds:0}"))} ms; searches "
            + string.Join(", ", results.GroupBy(r => r.StatusCode).Select(g => $"{(int)g.Key} x{g.Count()}"))
            + $"; slowest {results.Max(r => r.Elapsed).TotalMilliseconds:0} ms");
        Assert.True(times.Max() < TimeSpan.FromMilliseconds(500), string.Join(", ", times));
        Assert.All(results, r =>
        {
            Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString());
            // Queued or running, a search answers within its budget (and the in-process server's allowance).
            Assert.True(r.Elapsed < NewsArchive.Web.Site.SearchBudget.Time + TimeSpan.FromSeconds(1), $"{r.Elapsed}");
            Assert.True(r.StatusCode == HttpStatusCode.OK || r.RetryAfter);
        });
    }
}
