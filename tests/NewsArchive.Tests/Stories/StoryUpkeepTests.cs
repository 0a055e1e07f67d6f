using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Commands;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Site;

namespace NewsArchive.Tests.Stories;

/// <summary>
/// A long thread as the article page reads it (its first articles and a count), and a thread whose
/// first article is deleted or taken down: the others are threaded again under the smallest id left,
/// so their /story/ page keeps working. On both backends.
/// </summary>
public sealed class StoryUpkeepTests
{
    private const int Reports = 15;

    private static readonly DateTimeOffset Summit = new(2025, 7, 14, 9, 0, 0, TimeSpan.Zero);

    /// <summary>One outlet's running reports of the summit, an hour apart.</summary>
    private static void WriteReports(string seeds)
    {
        for (var i = 0; i < Reports; i++)
        {
            // Told apart by a letter, which is a different article but no term of its own (a term is two letters at least).
            var letter = (char)('A' + i);
            SeedWriter.Write(seeds, $"report-{i}.txt", $"特朗普与普京在赫尔辛基会晤 讨论乌克兰停火 {letter}", $"https://www.rfi.fr/cn/国际/20250714-summit-{letter}",
                $"<p>美国总统特朗普周一在芬兰首都赫尔辛基与俄罗斯总统普京举行会晤，双方讨论了乌克兰停火问题以及泽连斯基提出的和平方案。{letter}</p>",
                Summit.AddHours(i));
        }
    }

    private sealed record Row(long Id, string Permalink, string Url, string Path, long? StoryId);

    private static List<Row> Rows(Web.Storage.Database db)
    {
        using var c = db.Open();
        return c.Query<Row>("SELECT id AS Id, permalink AS Permalink, url AS Url, source_path AS Path, story_id AS StoryId FROM articles ORDER BY sort_key").AsList();
    }

    /// <summary>The articles left are one thread under the smallest id among them, which every member's thread read names.</summary>
    private static void OneThread(Web.Storage.Database db, int count)
    {
        var rows = Rows(db);
        Assert.Equal(count, rows.Count);
        var first = rows.MinBy(r => r.Id)!;
        Assert.All(rows, r => Assert.Equal(first.Id, r.StoryId));
        using var c = db.Open();
        foreach (var r in rows)
        {
            var thread = StoryThread.Of(c, r.Permalink, StoryThread.Elsewhere + 1);
            Assert.NotNull(thread);
            Assert.Equal(first.Permalink, thread.Id);
            Assert.Equal(count, thread.Total);
            // Only the first articles are read, oldest first.
            Assert.Equal(rows.Take(StoryThread.Elsewhere + 1).Select(x => x.Permalink), thread.Articles.Select(a => a.Permalink));
            Assert.Equal(["rfi"], thread.Outlets);
        }
    }

    [Fact]
    public async Task A_long_thread_is_read_to_its_first_articles_and_its_first_articles_deletion_or_takedown_threads_the_rest_again()
    {
        using var t = new TempDatabase("story-upkeep");
        WriteReports(t.Seeds);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        OneThread(t.Db, Reports);
        using (var c = t.Db.Open())
        {
            // The thread page reads them all.
            Assert.Equal(Reports, StoryThread.Of(c, Rows(t.Db)[^1].Permalink)!.Articles.Count);
        }

        // The file of the article whose id the thread bears goes: the next ingest deletes it and threads the rest again.
        var gone = Rows(t.Db).MinBy(r => r.Id)!;
        Assert.True(File.Exists(gone.Path), gone.Path);
        File.Delete(gone.Path);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        OneThread(t.Db, Reports - 1);
        using (var c = t.Db.Open())
        {
            Assert.Null(StoryThread.Of(c, gone.Permalink));
        }

        // A takedown of the next one threads the rest again at once, without an ingest.
        var takenDown = Rows(t.Db).MinBy(r => r.Id)!;
        Assert.Equal(IngestCommand.Ok, TakedownCommand.Takedown([takenDown.Url], "test", t.Db));
        OneThread(t.Db, Reports - 2);
        Assert.DoesNotContain(Rows(t.Db), r => r.Id == takenDown.Id);
    }
}
