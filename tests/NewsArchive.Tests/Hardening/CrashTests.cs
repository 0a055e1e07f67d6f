using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Hardening;

/// <summary>
/// The ingest command killed with SIGKILL at seeded random moments (timed by its progress), then run to the end: the
/// database is intact after every kill and ends equal to a clean ingest.
/// </summary>
[Collection(DevCorpusCollection.Name)]
public sealed class CrashTests(DevCorpusDb dev)
{
    public const int Kills = 10;

    [CorpusFact]
    public async Task Killing_the_ingest_at_random_moments_loses_nothing()
    {
        using var dir = new TempFolder("crash");
        var dbPath = dir.File("crash.db");
        var rng = new Random(42);
        var killed = 0;

        // Readers on the same database the whole time: the web app, over real HTTP.
        using var app = new AppFactory(seeds: null, dbPath);
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

        // Kills are timed by the database's progress, not the clock, so that a fast machine gets
        // them all too: odd kills come within half a second after this run's first commit (the run
        // stored something); even kills before it, at a random fraction of the time the previous
        // run took to commit (the run stored nothing). Ten kills use a few of the
        // corpus's ~30 batches.
        var toFirstCommit = TimeSpan.Zero;
        while (killed < Kills)
        {
            var before = FilesRecorded(dbPath);
            using var p = StartIngest(dbPath);
            var clock = Stopwatch.StartNew();
            var beforeCommit = killed % 2 == 0 && toFirstCommit > TimeSpan.Zero;
            var killAt = beforeCommit ? toFirstCommit * rng.NextDouble() : TimeSpan.MaxValue;
            while (!p.HasExited && clock.Elapsed < killAt)
            {
                if (!beforeCommit && FilesRecorded(dbPath) > before)
                {
                    // Within half a second of the first commit: a start-up that took long (the index
                    // catching up after the last kill) does not stretch the window to the whole run.
                    toFirstCommit = clock.Elapsed;
                    killAt = toFirstCommit + TimeSpan.FromMilliseconds(rng.Next(0, 500));
                }
                await Task.Delay(5);
            }
            if (p.HasExited)
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
            Assert.True(last.ExitCode is 0 or IngestCommand.SomeRejected, $"exit code {last.ExitCode}");
        }
        // Two kills that both land while one file is parsed (the second while it is parsed alone,
        // after the rest) look to the ingest like a file that kills it: it is quarantined, with that
        // reason, until it changes (Ingest/ParseJournal.cs). Nothing else may be rejected, and
        // nothing else may differ from the clean ingest.
        var quarantined = Rejected(dbPath);
        Assert.All(quarantined, r => Assert.StartsWith("quarantined:", r.Reason));
        stop.Cancel();
        await reader;
        Assert.True(reads > 50, $"only {reads} reads");
        Assert.Empty(failures);
        Assert.True(killed >= Kills, $"the ingest finished after only {killed} kills");
        AssertConsistent(dbPath);
        AssertIndexComplete(dbPath);
        Assert.Equal(Fingerprints(dev.Db.Path, quarantined.Select(r => r.Path).ToHashSet()), Fingerprints(dbPath, new HashSet<string>()));
        if (quarantined.Count > 0)
        {
            return;
        }

        var crashed = new SearchEngine(TestBackend.At(dbPath));
        var clean = new SearchEngine(dev.Db);
        foreach (var q in new[] { "美国", "選舉", "Biden", "香港 -国安", "2021年", "鱼" })
        {
            var query = SearchQuery.Parse(q);
            Assert.Equal((await clean.CountsAsync([IndexPlan.Of(query, new ArticleFilter())]))[0], (await crashed.CountsAsync([IndexPlan.Of(query, new ArticleFilter())]))[0]);
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
        if (TestBackend.ConnectionFor(dbPath) is { } postgres)
        {
            psi.Environment["Archive__Postgres"] = postgres;
        }
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>How many files the ingest has committed (each with its record in source_files).</summary>
    private static long FilesRecorded(string dbPath)
    {
        using var c = TestBackend.At(dbPath).OpenArticles();
        return c.ExecuteScalar<long>("SELECT count(*) FROM source_files");
    }

    private static void AssertConsistent(string dbPath)
    {
        // A fresh, unpooled connection: on a pooled one that last read the index before another
        // process wrote it, FTS5's integrity check reads its cached (stale) segment structure and
        // reports corruption that is not there (queries on that connection are not affected).
        using var c = TestBackend.At(dbPath).OpenUnpooled();
        IndexChecks.AssertIntact(c);
        // Every stored article came with the record of its file, in the same transaction.
        Assert.Equal(0, c.ExecuteScalar<long>(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM source_files f WHERE f.article_id = a.id)"));
        // The index may lag the articles after a kill, but only by what is still queued for it.
        var applied = c.ExecuteScalar<long>("SELECT applied_seq FROM index_state");
        Assert.Equal(0, c.ExecuteScalar<long>($"""
            SELECT count(*) FROM articles
            WHERE sort_key NOT IN ({IndexChecks.IndexedKeys(c)})
              AND sort_key NOT IN (SELECT sort_key FROM index_queue WHERE seq > @applied AND put = 1)
            """, new { applied }));
        Assert.Equal(0, c.ExecuteScalar<long>($"""
            SELECT count(*) FROM ({IndexChecks.IndexedKeys(c)}) AS i
            WHERE k NOT IN (SELECT sort_key FROM articles)
              AND k NOT IN (SELECT sort_key FROM index_queue WHERE seq > @applied AND put = 0)
            """, new { applied }));
    }

    /// <summary>After a complete run, the index holds exactly the articles and the queue is empty.</summary>
    private static void AssertIndexComplete(string dbPath)
    {
        using var c = TestBackend.At(dbPath).OpenUnpooled();
        Assert.Equal(c.ExecuteScalar<long>("SELECT count(*) FROM articles"), IndexChecks.IndexedCount(c));
        Assert.Equal(0, c.ExecuteScalar<long>($"SELECT count(*) FROM articles WHERE sort_key NOT IN ({IndexChecks.IndexedKeys(c)})"));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM index_queue"));
    }

    /// <summary>url → hash of everything stored about the article except ingest times and ids.</summary>
    private static List<(string Path, string Reason)> Rejected(string dbPath)
    {
        using var c = TestBackend.At(dbPath).Open();
        return c.Query<(string, string)>("SELECT path, reason FROM source_files WHERE status = 'rejected'").AsList();
    }

    /// <summary>URL → a hash of what readers see, of every article but those stored from <paramref name="except"/>.</summary>
    private static Dictionary<string, string> Fingerprints(string dbPath, IReadOnlySet<string> except)
    {
        using var c = TestBackend.At(dbPath).Open();
        var result = new Dictionary<string, string>();
        foreach (var r in c.Query("SELECT url, permalink, title, published, source, language, tags, excerpt, lead_image, text, html, source_path FROM articles"))
        {
            var row = (IDictionary<string, object?>)r;
            if (except.Contains((string)row["source_path"]!))
            {
                continue;
            }
            row.Remove("source_path");
            var joined = string.Join("\u0001", row.Values.Select(v => v?.ToString() ?? "\u0000"));
            result[(string)row["url"]!] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
        }
        return result;
    }
}
