using System.Net;
using System.Text.Json;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Hardening;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Operator;

/// <summary>/readyz, the recorded ingest runs, the status command and the /operator page.</summary>
public sealed class OperatorViewTests
{
    private static readonly Dictionary<string, string> Open = new() { ["Archive:OperatorPublic"] = "true" };

    [Fact]
    public async Task Readyz_is_not_ready_while_the_index_lags_and_ready_once_it_caught_up()
    {
        using var t = new TempDatabase("readyz");
        SeedWriter.Write(t.Seeds, "a.md", "Quokkas", "https://example.com/a", "<p>About quokkas.</p>", DateTimeOffset.UtcNow);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        // A change the index has not taken in, as an ingest leaves it between its two writers.
        using (var c = t.Db.OpenArticles())
        using (var tx = c.BeginTransaction())
        {
            IndexQueueStore.Enqueue(c, c.ExecuteScalar<long>("SELECT sort_key FROM articles", transaction: tx), put: true, tx);
            tx.Commit();
        }
        // No seeds folder: nothing in the app catches the index up.
        using var app = new AppFactory(null, t.Path, settings: Open);
        var client = app.CreateClient();

        var lagging = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lagging.StatusCode);
        var body = JsonDocument.Parse(await lagging.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("not ready", body.GetProperty("status").GetString());
        Assert.Contains("1 queued", body.GetProperty("reason").GetString());

        using (var indexer = new Indexer(t.Db))
        {
            indexer.Prepare();
            indexer.CatchUp();
        }
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_ingest_command_is_recorded_and_status_reports_its_run_and_rejected_file()
    {
        using var t = new TempDatabase("status");
        SeedWriter.Write(t.Seeds, "good.md", "Quokkas", "https://example.com/a", "<p>About quokkas.</p>", DateTimeOffset.UtcNow);
        var bad = Path.Combine(t.Seeds, "binary.md");
        File.WriteAllBytes(bad, [0, 1, 2, 3]);
        var bound = TimeSpan.FromMinutes(1);

        var ingest = await Child.RunAsync(["ingest", t.Seeds, "--db", t.Path], bound);
        Assert.Equal(IngestCommand.SomeRejected, ingest.ExitCode);
        var status = await Child.RunAsync(["status", "--json", "--db", t.Path], bound);

        Assert.Equal(0, status.ExitCode);
        var root = JsonDocument.Parse(status.Stdout).RootElement;
        Assert.True(root.GetProperty("ready").GetBoolean());
        var report = root.GetProperty("report");
        Assert.Equal(1, report.GetProperty("articles").GetInt64());
        var run = Assert.Single(report.GetProperty("runs").EnumerateArray());
        Assert.Equal("command", run.GetProperty("trigger").GetString());
        Assert.Equal((2, 1, 1, 0), (run.GetProperty("filesSeen").GetInt64(), run.GetProperty("new").GetInt64(),
            run.GetProperty("rejected").GetInt64(), run.GetProperty("quarantined").GetInt64()));
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("finishedAt").ValueKind);
        var rejected = Assert.Single(report.GetProperty("rejected").EnumerateArray());
        Assert.Equal(bad, rejected.GetProperty("path").GetString());
        Assert.False(string.IsNullOrEmpty(rejected.GetProperty("reason").GetString()));

        var text = await Child.RunAsync(["status", "--db", t.Path], bound);
        Assert.Contains("ready", text.Stdout);
        Assert.Contains($"rejected: {bad}: ", text.Stdout);
    }

    [Fact]
    public async Task The_operator_page_shows_the_start_up_run_and_the_rejected_file_in_the_readers_language_and_is_not_indexed()
    {
        using var t = new TempDatabase("page");
        SeedWriter.Write(t.Seeds, "good.md", "Quokkas", "https://example.com/a", "<p>About quokkas.</p>", DateTimeOffset.UtcNow);
        File.WriteAllBytes(Path.Combine(t.Seeds, "binary.md"), [0, 1, 2, 3]);
        using var app = new AppFactory(t.Seeds, t.Path, settings: Open);
        await app.WaitForIngestAsync();
        var client = app.CreateClient();

        var en = await client.GetAsync("/operator?lang=en");
        Assert.Equal(HttpStatusCode.OK, en.StatusCode);
        Assert.Contains("noindex", en.Headers.GetValues("X-Robots-Tag").Single());
        var html = await en.Content.ReadAsStringAsync();
        Assert.Contains("Operator view", html);
        Assert.Contains("start-up", html);
        Assert.Contains("binary.md", html);
        Assert.Contains("Rejected files: 1 (0 quarantined)", html);

        var zh = await (await client.GetAsync("/operator?lang=zh-Hant")).Content.ReadAsStringAsync();
        Assert.Contains("運維概覽", zh);
    }

    [Fact]
    public async Task By_default_the_operator_endpoints_are_hidden_from_a_client_that_is_not_the_machine_itself()
    {
        // The test server's requests come from no address: not loopback.
        using var app = new AppFactory(null);
        var client = app.CreateClient();
        // Routing also matches a trailing slash and any case: so does the gate.
        foreach (var path in new[] { "/readyz", "/metrics", "/operator", "/operator/", "/METRICS/", "/readyz/" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("XYZZY")]
    public async Task A_method_the_site_does_not_answer_is_refused_before_it_reaches_the_metrics(string method)
    {
        using var app = new AppFactory(null, settings: Open);
        var client = app.CreateClient();
        using var refused = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.DoesNotContain($"method=\"{method}\"", metrics);
    }
}
