using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Identity;
using NewsArchive.Web.Commands;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Postgres;

public class MigrateTests
{
    /// <summary>
    /// A SQLite archive with aliases, revisions and a takedown is copied into PostgreSQL; the site on
    /// the copy answers every permalink, alias and revision link exactly as the site on the original did.
    /// </summary>
    [PostgresFact]
    public async Task Migrate_to_postgres_keeps_every_permalink_alias_and_takedown()
    {
        using var dir = new TempFolder("migrate");
        VariantCorpus.Write(IdentityTests.Originals(dir.Folder("src"), 30), dir.Folder("seeds"));
        // A revision: the same story, edited a day later.
        SeedWriter.Write(dir.File("seeds"), "rev-1.md", "修订测试 Revised story", "https://example.org/rev/1",
            "<p>第一版的正文，讲述了一件事情的经过，细节很多，共有好几句话。</p><p>第二段也在这里。</p>", DateTimeOffset.FromUnixTimeSeconds(1_700_100_000));
        SeedWriter.Write(dir.File("seeds"), "rev-2.md", "修订测试 Revised story", "https://example.org/rev/1?v=2",
            "<p>第一版的正文，讲述了一件事情的经过，细节很多，共有好几句话。</p><p>第二段也在这里，还加了一句。</p>", DateTimeOffset.FromUnixTimeSeconds(1_700_100_600));
        var sqlitePath = dir.File("old.db");
        var old = new Database(sqlitePath);
        old.Migrate();
        await new Ingester(old).RunAsync([dir.File("seeds")]);
        Assert.Equal(IngestCommand.Ok, TakedownCommand.Takedown(["https://www.example.com/news/3/%E4%B8%AD%E5%9B%BD-3"], "test", old));

        List<string> links;
        using (var c = old.OpenUnpooled())
        {
            links = c.Query<string>("SELECT permalink FROM articles UNION SELECT permalink FROM article_aliases UNION SELECT permalink FROM takedowns").AsList();
        }
        var before = await Answers(sqlitePath, null, links);

        var postgres = PostgresServer.NewDatabase("migrated");
        var target = new Database(dir.File("new.db"), postgres);
        Assert.Equal(IngestCommand.Ok, MigrateCommand.Run(sqlitePath, target));
        var after = await Answers(dir.File("new.db"), postgres, links);
        Assert.Equal(before, after);
        Assert.Contains(before, a => a.Contains(" 301 ", StringComparison.Ordinal));
        Assert.Contains(before, a => a.Contains(" 410 ", StringComparison.Ordinal));
        Assert.Contains(before, a => a.Contains("/revision/", StringComparison.Ordinal) && a.EndsWith(" 200", StringComparison.Ordinal));

        // A second migration into the same archive is refused, and nothing is lost.
        Assert.Equal(IngestCommand.Usage, MigrateCommand.Run(sqlitePath, target));
        Assert.Equal(after, await Answers(dir.File("new.db"), postgres, links));
    }

    /// <summary>Status and target of every link, its revision links, and a search, on the site over this archive.</summary>
    private static async Task<List<string>> Answers(string path, string? postgres, List<string> links)
    {
        using var app = new AppFactory(null, path, settings: new Dictionary<string, string> { ["Archive:Postgres"] = postgres ?? "" });
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var answers = new List<string>();
        foreach (var link in links.Order(StringComparer.Ordinal))
        {
            using var page = await client.GetAsync($"/a/{link}");
            answers.Add($"{link} {(int)page.StatusCode} {page.Headers.Location}");
            var html = await page.Content.ReadAsStringAsync();
            foreach (var revision in Regex.Matches(html, "/a/[^\"/]+/revision/[0-9]+").Select(m => m.Value).Distinct())
            {
                using var earlier = await client.GetAsync(revision);
                answers.Add($"{revision} {(int)earlier.StatusCode}");
            }
        }
        var search = await client.GetStringAsync("/api/search?q=" + Uri.EscapeDataString("第1篇"));
        answers.Add(search[..search.IndexOf("\"results\"", StringComparison.Ordinal)]);
        return answers;
    }
}
