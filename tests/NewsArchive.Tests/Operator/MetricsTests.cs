using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Operator;

/// <summary>/metrics as Prometheus text, and where Archive:OperatorUrls serves the operator endpoints.</summary>
public sealed partial class MetricsTests
{
    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?""")]
    private static partial Regex Label();

    /// <summary>The text format (version 0.0.4): # HELP and # TYPE lines, then samples "name{labels} value"; anything else fails.</summary>
    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        var typed = new HashSet<string>();
        foreach (var line in text.Split('\n').Where(l => l.Length > 0))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(4, parts.Length);
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                typed.Add(parts[2]);
                continue;
            }
            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a Prometheus sample: {line}");
            var labels = Label().Matches(m.Groups[2].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            Assert.Equal(m.Groups[2].Value, string.Concat(Label().Matches(m.Groups[2].Value).Select(l => l.Value)));
            var name = m.Groups[1].Value;
            Assert.Contains(typed, t => name == t || name.StartsWith(t + "_", StringComparison.Ordinal));
            samples.Add(new Sample(name, labels, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    [Fact]
    public async Task Metrics_parse_as_Prometheus_text_and_count_the_requests_searches_and_ingest_made()
    {
        using var t = new TempDatabase("metrics");
        for (var i = 0; i < 3; i++)
        {
            SeedWriter.Write(t.Seeds, $"{i}.md", $"Quokka {i}", $"https://example.com/{i}", "<p>About quokkas.</p>", DateTimeOffset.UtcNow.AddHours(-i));
        }
        using var app = new AppFactory(t.Seeds, t.Path, settings: new Dictionary<string, string> { ["Archive:OperatorPublic"] = "true" });
        await app.WaitForIngestAsync();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/search?q=quokka")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/a/nothing-here")).StatusCode);

        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        var samples = Parse(await response.Content.ReadAsStringAsync());

        double One(string name, params (string Key, string Value)[] labels) => Assert.Single(samples,
            s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Value;
        Assert.Equal(1, One("http_requests_received_total", ("code", "200"), ("method", "GET"), ("endpoint", "/api/search")));
        Assert.Equal(1, One("http_request_duration_seconds_count", ("code", "200"), ("method", "GET"), ("endpoint", "/api/search")));
        Assert.Equal(1, One("newsarchive_search_duration_seconds_count", ("kind", "api")));
        Assert.Equal(3, One("newsarchive_articles"));
        Assert.Equal(3, One("newsarchive_ingest_files_total", ("fate", "new")));
        Assert.Equal(0, One("newsarchive_index_queued"));
        Assert.Equal(0, One("newsarchive_media_images", ("state", "failed")));
    }

    [Fact]
    public async Task Off_serves_no_operator_endpoint_but_healthz()
    {
        using var app = new AppFactory(null, settings: new Dictionary<string, string> { ["Archive:OperatorUrls"] = "off", ["Archive:OperatorPublic"] = "true" });
        var client = app.CreateClient();
        foreach (var path in new[] { "/readyz", "/metrics", "/operator" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_separate_port_serves_only_the_operator_endpoints_and_the_site_port_none_of_them()
    {
        var (site, op) = (FreePort(), FreePort());
        using var app = new AppFactory(null, settings: new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{site}",
            ["Archive:OperatorUrls"] = $"http://127.0.0.1:{op}",
        });
        app.UseKestrel();
        app.StartServer();
        using var http = new HttpClient();

        async Task<HttpStatusCode> Get(int port, string path) => (await http.GetAsync($"http://127.0.0.1:{port}{path}")).StatusCode;
        foreach (var path in new[] { "/readyz", "/metrics", "/operator" })
        {
            Assert.Equal(HttpStatusCode.OK, await Get(op, path));
            Assert.Equal(HttpStatusCode.NotFound, await Get(site, path));
        }
        Assert.Equal(HttpStatusCode.OK, await Get(site, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, await Get(site, "/"));
        Assert.Equal(HttpStatusCode.NotFound, await Get(op, "/"));
    }

    [Fact]
    public async Task By_default_the_machine_itself_sees_the_operator_endpoints_and_a_request_a_proxy_forwarded_does_not()
    {
        var site = FreePort();
        using var app = new AppFactory(null, settings: new Dictionary<string, string> { ["urls"] = $"http://127.0.0.1:{site}" });
        app.UseKestrel();
        app.StartServer();
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{site}/readyz")).StatusCode);
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{site}/metrics");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(forwarded)).StatusCode);
    }
}
