using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using NewsArchive.Tests.Fixtures;
using Npgsql;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Postgres;

/// <summary>
/// Many nodes for real: a PostgreSQL primary and a streaming replica (pg_basebackup -R) on loopback
/// ports, one app ingesting into the primary and two reading from the replica.
/// </summary>
public class ReplicaTests(ITestOutputHelper output)
{
    private static string Port() => PostgresServer.FreePort().ToString(CultureInfo.InvariantCulture);

    [PostgresFact]
    public async Task Readers_on_a_replica_see_new_articles_within_seconds_and_keep_serving_while_the_primary_is_down()
    {
        using var dir = new TempFolder("replica");
        var primaryPort = Port();
        var clock = Stopwatch.StartNew();
        void Stage(string what) => output.WriteLine($"{clock.ElapsedMilliseconds,7} ms  {what}");
        var server = PostgresServer.Script("start", dir.File("primary"), primaryPort);
        Stage("primary started");
        try
        {
            using (var c = new NpgsqlConnection(server + ";Database=postgres"))
            {
                c.Execute("CREATE DATABASE archive");
            }
            var primary = server + ";Database=archive";
            var seeds = dir.Folder("seeds");
            SeedWriter.Write(seeds, "first.md", "第一篇 replica test", "https://example.org/replica/1", "<p>主库写入的第一篇文章。</p>", DateTimeOffset.UtcNow.AddDays(-1));
            using var ingest = new AppFactory(seeds, dir.File("ingest.db"), settings: new Dictionary<string, string> { ["Archive:Postgres"] = primary });
            await ingest.ClientWithArticlesAsync(1);
            Stage("ingest node up");

            var replica = PostgresServer.Script("replica", dir.File("replica"), Port(), primaryPort) + ";Database=archive";
            var readerSettings = new Dictionary<string, string>
            {
                ["Archive:Postgres"] = primary,
                ["Archive:PostgresRead"] = replica,
                ["Archive:Ingest"] = "false",
            };
            using var a = new AppFactory(null, dir.File("a.db"), settings: readerSettings);
            using var b = new AppFactory(null, dir.File("b.db"), settings: readerSettings);
            var readers = new[] { a.CreateClient(), b.CreateClient() };
            Stage("replica and readers up");
            foreach (var r in readers)
            {
                Assert.Equal(1, await Total(r));
            }
            using (var c = new NpgsqlConnection(replica))
            {
                Assert.True(c.ExecuteScalar<bool>("SELECT pg_is_in_recovery()"), "the readers' database is a standby");
            }

            // A new file on the ingest node: visible on both readers (list, search, article) within seconds.
            var written = Stopwatch.StartNew();
            SeedWriter.Write(seeds, "second.md", "第二篇 replica test", "https://example.org/replica/2", "<p>复制延迟测量用的独特词语：蓝鲸潜艇。</p>", DateTimeOffset.UtcNow);
            foreach (var r in readers)
            {
                await Until(async () => await Total(r) == 2, TimeSpan.FromSeconds(20));
            }
            var lag = written.Elapsed;
            output.WriteLine($"file written to visible on both readers: {lag.TotalMilliseconds:F0} ms (watcher settle 500 ms + ingest + replay)");
            Assert.True(lag < TimeSpan.FromSeconds(10), lag.ToString());
            foreach (var r in readers)
            {
                Assert.Contains("蓝鲸潜艇", await r.GetStringAsync("/search?q=" + Uri.EscapeDataString("蓝鲸潜艇")));
            }

            // The primary stops: the readers keep serving every kind of page from the replica.
            PostgresServer.Script("stop", dir.File("primary"));
            Stage("primary stopped");
            var page = await readers[0].GetFromJsonAsync<JsonElement>("/api/articles?size=2");
            var article = page.GetProperty("results")[0].GetProperty("permalink").GetString()!;
            foreach (var r in readers)
            {
                foreach (var path in new[] { "/", "/search?q=" + Uri.EscapeDataString("第一篇"), article, "/feed.atom", "/sources", "/api/articles?size=5" })
                {
                    var response = await r.GetAsync(path);
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
                }
            }

            Stage("readers served everything");
            // The ingest waits: a file written meanwhile is stored once the primary is back.
            SeedWriter.Write(seeds, "third.md", "第三篇 replica test", "https://example.org/replica/3", "<p>主库停机期间写入。</p>", DateTimeOffset.UtcNow);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(2, await Total(readers[1]));
            PostgresServer.Script("start", dir.File("primary"), primaryPort);
            Stage("primary started again");
            await Until(async () => await Total(readers[1]) == 3, TimeSpan.FromSeconds(30));
            Stage("the file written meanwhile is on the readers");
        }
        finally
        {
            PostgresServer.Script("stop", dir.File("replica"));
            PostgresServer.Script("stop", dir.File("primary"));
            Stage("servers stopped");
        }
    }

    private static async Task<long> Total(HttpClient c) =>
        (await c.GetFromJsonAsync<JsonElement>("/api/articles?size=1")).GetProperty("total").GetInt64();

    private static async Task Until(Func<Task<bool>> condition, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within " + bound);
            await Task.Delay(100);
        }
    }
}
