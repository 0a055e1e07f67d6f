using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Hardening;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Operator;

/// <summary>backup, run while the ingest command writes the same archive.</summary>
public sealed class BackupTests
{
    [SqliteFact("backup copies the SQLite files; a PostgreSQL archive is backed up with pg_dump (docs/scale-out.md)")]
    public async Task A_backup_taken_during_an_ingest_is_intact_and_its_search_agrees_with_its_articles()
    {
        using var t = new TempDatabase("backup");
        for (var i = 0; i < 4000; i++)
        {
            SeedWriter.Write(t.Seeds, $"{i:D5}.md", $"Report {i}", $"https://example.com/r/{i}",
                $"<p>Every report mentions quokkas; this is report number {i}.</p>", DateTimeOffset.UtcNow.AddMinutes(-i));
        }
        using var ingest = Process.Start(Child.StartInfo(["ingest", t.Seeds, "--db", t.Path]))!;
        ingest.BeginOutputReadLine();
        ingest.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (Count(t.Path, "SELECT count(*) FROM articles") == 0 && !ingest.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var copy = Path.Combine(Path.GetDirectoryName(t.Path)!, "copy", "archive.db");
        var run = await Child.RunAsync(["backup", copy, "--db", t.Path], TimeSpan.FromMinutes(2));
        var ingestWasRunning = !ingest.HasExited;
        await ingest.WaitForExitAsync();
        Assert.Equal(0, run.ExitCode);
        Assert.True(ingestWasRunning, "the ingest ended before the backup did: the test did not test a backup during an ingest");

        var backup = new Database(copy);
        foreach (var file in new[] { backup.Path, backup.IndexPath })
        {
            using var c = new SqliteConnection($"Data Source={file};Pooling=False");
            c.Open();
            Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA integrity_check"));
        }
        var stored = Count(copy, "SELECT count(*) FROM articles");
        Assert.InRange(stored, 1, 3999);

        using var app = new AppFactory(null, copy);
        var client = app.CreateClient();
        var articles = await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1");
        var search = await client.GetFromJsonAsync<JsonElement>("/api/search?q=quokkas&size=1");
        Assert.Equal(stored, articles.GetProperty("total").GetInt64());
        Assert.Equal(stored, search.GetProperty("total").GetInt64());

        Assert.NotEqual(0, (await Child.RunAsync(["backup", copy, "--db", t.Path], TimeSpan.FromMinutes(1))).ExitCode);
    }

    private static long Count(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        return c.ExecuteScalar<long>(sql);
    }
}
