using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Operator;

/// <summary>
/// A folder that held articles and is missing or empty (an unmounted disk, a moved folder) deletes
/// nothing without <c>--allow-deletions</c>, at any depth, through the command and the site's watcher;
/// a single file gone from a folder that still holds files is deleted as before. Real files, real
/// ingests, the real site.
/// </summary>
public sealed class MissingFolderTests
{
    private const int Top = 120;
    private const int Mounted = 150;

    /// <summary>The incident's shape: 120 files at the top, 150 in <paramref name="folder"/> (a path under the seeds), and one beside them there.</summary>
    private static string Tree(string seeds, string folder)
    {
        var dir = Directory.CreateDirectory(Path.Combine(seeds, folder)).FullName;
        for (var i = 0; i < Top; i++)
        {
            SeedWriter.Write(seeds, $"top{i}.md", $"Top story {i}", $"https://example.com/top/{i}", $"<p>Top story number {i}.</p>");
        }
        for (var i = 0; i < Mounted; i++)
        {
            SeedWriter.Write(dir, $"m{i}.md", $"Mounted story {i}", $"https://example.com/m/{i}", $"<p>Mounted story number {i}.</p>");
        }
        return dir;
    }

    private static long Count(Database db)
    {
        using var c = db.Open();
        return ArticleStore.Count(c, new ArticleFilter());
    }

    private static string? LastNotes(Database db)
    {
        using var c = db.OpenArticles();
        return IngestRunStore.Recent(c, 1)[0].Notes;
    }

    public enum Loss
    {
        Removed,
        Emptied,
        NestedRemoved,
    }

    /// <summary>Makes the folder go as <paramref name="loss"/> says.</summary>
    private static void Lose(string dir, Loss loss)
    {
        if (loss == Loss.Emptied)
        {
            foreach (var f in Directory.EnumerateFiles(dir))
            {
                File.Delete(f);
            }
        }
        else
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(Loss.Removed, "mounted", "missing")]
    [InlineData(Loss.Emptied, "mounted", "empty")]
    [InlineData(Loss.NestedRemoved, "outer/inner", "missing")]
    public async Task A_missing_or_empty_folder_keeps_its_articles_until_allowed_while_a_single_gone_file_is_deleted(
        Loss loss, string folder, string state)
    {
        using var t = new TempDatabase("missing-folder");
        var dir = Tree(t.Seeds, folder);
        if (loss == Loss.NestedRemoved)
        {
            // The outer folder still holds a file: the inner one is what went.
            SeedWriter.Write(Path.Combine(t.Seeds, "outer"), "beside.md", "Beside", "https://example.com/beside", "<p>Beside the inner folder.</p>");
        }
        var total = Top + Mounted + (loss == Loss.NestedRemoved ? 1 : 0);
        Assert.Equal(IngestCommand.Ok, await IngestCommand.RunAsync([t.Seeds], t.Db, allowDeletions: false, OutletTable.Shipped, Transliterations.Shipped));
        Assert.Equal(total, Count(t.Db));

        Lose(dir, loss);
        File.Delete(Path.Combine(t.Seeds, "top0.md"));
        Assert.Equal(IngestCommand.Ok, await IngestCommand.RunAsync([t.Seeds], t.Db, allowDeletions: false, OutletTable.Shipped, Transliterations.Shipped));
        Assert.Equal(total - 1, Count(t.Db));
        var notes = LastNotes(t.Db);
        Assert.Contains($"kept {Mounted} articles ({Mounted} files) under {state} folder {dir}", notes, StringComparison.Ordinal);
        Assert.Contains("`ingest --allow-deletions`", notes, StringComparison.Ordinal);

        // A second run keeps them as well.
        Assert.Equal(IngestCommand.Ok, await IngestCommand.RunAsync([t.Seeds], t.Db, allowDeletions: false, OutletTable.Shipped, Transliterations.Shipped));
        Assert.Equal(total - 1, Count(t.Db));

        Assert.Equal(IngestCommand.Ok, await IngestCommand.RunAsync([t.Seeds], t.Db, allowDeletions: true, OutletTable.Shipped, Transliterations.Shipped));
        Assert.Equal(total - 1 - Mounted, Count(t.Db));
        Assert.Null(LastNotes(t.Db));
    }

    [Fact]
    public async Task A_single_file_gone_from_a_folder_that_still_holds_files_is_deleted()
    {
        using var t = new TempDatabase("missing-folder-single");
        var dir = Tree(t.Seeds, "a/b");
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        File.Delete(Path.Combine(dir, "m0.md"));
        DeletionReport? report = null;
        await new Ingester(t.Db) { OnDeletions = d => report = d }.RunAsync([t.Seeds]);
        Assert.Equal(new DeletionReport(1, 1, 0, null), report);
        Assert.Equal(Top + Mounted - 1, Count(t.Db));
    }

    private static async Task<long> TotalAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1")).GetProperty("total").GetInt64();

    /// <summary>Waits for the watcher's run after <paramref name="after"/> (a run id) and returns its notes.</summary>
    private static async Task<string?> NextRunNotesAsync(Database db, long after)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using (var c = db.OpenArticles())
            {
                if (IngestRunStore.Recent(c, 1) is [{ FinishedAt: not null } run] && run.Id > after)
                {
                    return run.Notes;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "the watcher did not run");
            await Task.Delay(100);
        }
    }

    private static long LastRunId(Database db)
    {
        using var c = db.OpenArticles();
        return IngestRunStore.Recent(c, 1)[0].Id;
    }

    [Theory]
    [InlineData("mounted", "mounted", "missing")]
    [InlineData("outer/inner", "outer", "empty")]
    [InlineData("", "", "missing")]
    public async Task The_sites_watcher_with_default_settings_keeps_a_moved_folders_articles_and_says_why(string folder, string named, string state)
    {
        using var t = new TempDatabase("missing-folder-watcher");
        var dir = Tree(t.Seeds, folder);
        using var app = new AppFactory(t.Seeds, t.Path);
        var client = await app.ClientWithArticlesAsync(Top + Mounted);
        await app.WaitForIngestAsync();
        var before = LastRunId(t.Db);

        // Moved away in one step, as a folder is moved or a disk unmounted. The seeds folder itself ("", top files too)
        // is removed instead: a watch follows the folder it watches where it is moved, and sees nothing go.
        if (folder == "")
        {
            Directory.Delete(dir, recursive: true);
        }
        else
        {
            Directory.Move(dir, Path.Combine(Path.GetDirectoryName(t.Seeds)!, "moved-away"));
        }
        var notes = await NextRunNotesAsync(t.Db, before);
        var expected = $"under {state} folder {Path.TrimEndingDirectorySeparator(Path.Combine(t.Seeds, named))}";
        Assert.Contains(expected, notes, StringComparison.Ordinal);
        Assert.Contains("`ingest --allow-deletions`", notes, StringComparison.Ordinal);
        Assert.Equal(Top + Mounted, await TotalAsync(client));

        // The operator page shows the run's notes.
        using var view = new AppFactory(null, t.Path, settings: new Dictionary<string, string> { ["Archive:OperatorPublic"] = "true" });
        Assert.Contains(expected, WebUtility.HtmlDecode(await view.CreateClient().GetStringAsync("/operator")), StringComparison.Ordinal);
    }
}
