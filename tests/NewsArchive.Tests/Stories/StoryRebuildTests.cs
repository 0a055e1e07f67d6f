using Dapper;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;

namespace NewsArchive.Tests.Stories;

[Collection(DevCorpusCollection.Name)]
public sealed class StoryRebuildTests(DevCorpusDb dev)
{
    private const string Threads = "SELECT id || ' ' || story_id FROM articles ORDER BY id";

    [CorpusFact]
    public void Threading_a_third_of_the_archive_again_gives_the_threads_a_rebuild_gives()
    {
        using var c = dev.Db.OpenPrimary();
        var ingested = c.Query<string>(Threads).ToList();
        Assert.True(c.ExecuteScalar<long>("SELECT count(*) FROM (SELECT story_id FROM articles GROUP BY story_id HAVING count(*) > 1) t") > 200);

        var progress = new List<string>();
        var threading = new StoryThreading(dev.Db, Transliterations.Shipped) { OnProgress = progress.Add };
        // Every third article as if just ingested: only their neighbourhoods are threaded again.
        c.Execute("UPDATE articles SET story_id = NULL WHERE id % 3 = 0");
        threading.Update();
        Assert.Equal(ingested, c.Query<string>(Threads).ToList());

        // A rebuild with nothing changed since moves no article.
        Assert.Equal(0, threading.Rebuild());
        Assert.Equal(ingested, c.Query<string>(Threads).ToList());
        Assert.Contains(progress, p => p.StartsWith("stories: ", StringComparison.Ordinal));

        // A rebuild in parts of 500 articles (a large archive's, made small) moves none either.
        Assert.Equal(0, new StoryThreading(dev.Db, Transliterations.Shipped) { Part = 500 }.Rebuild());
        Assert.Equal(ingested, c.Query<string>(Threads).ToList());
    }
}
