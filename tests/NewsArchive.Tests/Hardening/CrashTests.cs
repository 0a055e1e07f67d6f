using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
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
        try
        {
            var dbPath = Path.Combine(dir, "crash.db");
            var rng = new Random(42);
            var killed = 0;
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
            Assert.True(killed >= Kills, $"the ingest finished after only {killed} kills");
            AssertConsistent(dbPath);
            Assert.Equal(Fingerprints(dev.Db.Path), Fingerprints(dbPath));

            var crashed = new SearchEngine(new Database(dbPath));
            var clean = new SearchEngine(dev.Db);
            foreach (var q in new[] { "美国", "選舉", "Biden", "香港 -国安", "2021年", "鱼" })
            {
                var query = SearchQuery.Parse(q);
                Assert.Equal(clean.Count(query, new ArticleFilter()), crashed.Count(query, new ArticleFilter()));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestData.TryDelete(dir);
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
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={dbPath};Pooling=False");
        c.Open();
        Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA integrity_check"));
        var articles = c.ExecuteScalar<long>("SELECT count(*) FROM articles");
        Assert.Equal(articles, c.ExecuteScalar<long>("SELECT count(*) FROM search_index"));
        // Every stored article came with the record of its file, in the same transaction.
        Assert.Equal(0, c.ExecuteScalar<long>(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM source_files f WHERE f.article_id = a.id)"));
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
