using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Hardening;

/// <summary>
/// The ingest command killed with SIGKILL at seeded random moments, then run to the end: the
/// database is intact after every kill and ends equal to a clean ingest.
/// </summary>
[Collection(DevCorpusCollection.Name)]
public sealed class CrashTests(DevCorpusDb dev)
{
    public const int Kills = 10;

    [CorpusFact]
    public async Task Killing_the_ingest_at_random_moments_loses_nothing()
    {
        var dir = TestData.TempDir("crash");
        var emptySeeds = Directory.CreateDirectory(Path.Combine(dir, "no-seeds")).FullName;
        try
        {
            var dbPath = Path.Combine(dir, "crash.db");
            var rng = new Random(42);
            var killed = 0;

            // Readers on the same database the whole time: the web app, over real HTTP.
            using var app = new AppFactoryOn(dbPath, emptySeeds);
            var client = app.CreateClient();
            using var stop = new CancellationTokenSource();
            var reads = 0;
            var failures = new List<string>();
            var reader = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var url in new[] { "/api/articles?size=5", "/api/search?q=%E7%BE%8E%E5%9B%BD&size=5", "/" })
                    {
                        var r = await client.GetAsync(url + (url.Contains('?') ? "&" : "?") + "n=" + reads);
                        reads++;
                        if (!r.IsSuccessStatusCode)
                        {
                            lock (failures)
                            {
                                failures.Add($"{url}: {(int)r.StatusCode}");
                            }
                        }
                        else if (url.StartsWith("/api/articles", StringComparison.Ordinal))
                        {
                            // Every listed article is whole: it opens, with its text and HTML.
                            var list = System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
                            foreach (var a in list.GetProperty("results").EnumerateArray())
                            {
                                var one = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/articles/" + a.GetProperty("id").GetString())).RootElement;
                                if (one.GetProperty("text").GetString() is not { Length: > 0 } || one.GetProperty("html").GetString() is null)
                                {
                                    lock (failures)
                                    {
                                        failures.Add("incomplete article " + a.GetProperty("id").GetString());
                                    }
                                }
                            }
                        }
                    }
                }
            });

            while (killed < Kills)
            {
                using var p = StartIngest(dbPath);
                var after = TimeSpan.FromMilliseconds(rng.Next(300, 4000));
                if (p.WaitForExit(after))
                {
                    break;
                }
                p.Kill();
                await p.WaitForExitAsync();
                killed++;
                AssertConsistent(dbPath);
            }
            using (var last = StartIngest(dbPath))
            {
                await last.WaitForExitAsync();
                Assert.Equal(0, last.ExitCode);
            }
            stop.Cancel();
            await reader;
            Assert.True(reads > 50, $"only {reads} reads");
            Assert.Empty(failures);
            Assert.True(killed >= Kills, $"the ingest finished after only {killed} kills");
            AssertConsistent(dbPath);
            AssertIndexComplete(dbPath);
            Assert.Equal(Fingerprints(dev.Db.Path), Fingerprints(dbPath));

            var crashed = new SearchEngine(new Database(dbPath));
            var clean = new SearchEngine(dev.Db);
            foreach (var q in new[] { "美国", "選舉", "Biden", "香港 -国安", "2021年", "鱼" })
            {
                var query = SearchQuery.Parse(q);
                Assert.Equal(await clean.CountAsync(query, new ArticleFilter()), await crashed.CountAsync(query, new ArticleFilter()));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestData.TryDelete(dir);
        }
    }

    /// <summary>The app over an existing database path, ingesting nothing itself.</summary>
    private sealed class AppFactoryOn(string dbPath, string seeds) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            builder.UseSetting("Archive:Database", dbPath);
            builder.UseSetting("Archive:SeedsPath", seeds);
            builder.UseSetting("Archive:RateLimits:Enabled", "false");
        }
    }

    private static Process StartIngest(string dbPath)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NewsArchive.Web.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, "ingest", TestData.DevCorpus, "--db", dbPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void AssertConsistent(string dbPath)
    {
        // A fresh, unpooled connection: on a pooled one that last read the index before another
        // process wrote it, FTS5's integrity check reads its cached (stale) segment structure and
        // reports corruption that is not there (queries on that connection are not affected).
        using var c = new Database(dbPath).OpenUnpooled();
        Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA main.integrity_check"));
        Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA search.integrity_check"));
        // Every stored article came with the record of its file, in the same transaction.
        Assert.Equal(0, c.ExecuteScalar<long>(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM source_files f WHERE f.article_id = a.id)"));
        // The index may lag the articles after a kill, but only by what is still queued for it.
        var applied = c.ExecuteScalar<long>("SELECT applied_seq FROM index_state");
        Assert.Equal(0, c.ExecuteScalar<long>("""
            SELECT count(*) FROM articles
            WHERE sort_key NOT IN (SELECT rowid FROM search_index)
              AND sort_key NOT IN (SELECT sort_key FROM index_queue WHERE seq > @applied AND put = 1)
            """, new { applied }));
        Assert.Equal(0, c.ExecuteScalar<long>("""
            SELECT count(*) FROM search_index
            WHERE rowid NOT IN (SELECT sort_key FROM articles)
              AND rowid NOT IN (SELECT sort_key FROM index_queue WHERE seq > @applied AND put = 0)
            """, new { applied }));
    }

    /// <summary>After a complete run, the index holds exactly the articles and the queue is empty.</summary>
    private static void AssertIndexComplete(string dbPath)
    {
        using var c = new Database(dbPath).OpenUnpooled();
        Assert.Equal(c.ExecuteScalar<long>("SELECT count(*) FROM articles"), c.ExecuteScalar<long>("SELECT count(*) FROM search_index"));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE sort_key NOT IN (SELECT rowid FROM search_index)"));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM index_queue"));
    }

    /// <summary>url → hash of everything stored about the article except ingest times and ids.</summary>
    private static Dictionary<string, string> Fingerprints(string dbPath)
    {
        using var c = new Database(dbPath).Open();
        var result = new Dictionary<string, string>();
        foreach (var r in c.Query("SELECT url, permalink, title, published, source, language, tags, excerpt, lead_image, text, html FROM articles"))
        {
            var row = (IDictionary<string, object?>)r;
            var joined = string.Join("\u0001", row.Values.Select(v => v?.ToString() ?? "\u0000"));
            result[(string)row["url"]!] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
        }
        return result;
    }
}
