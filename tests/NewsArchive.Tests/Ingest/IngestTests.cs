using NewsArchive.Tests.Fixtures;
using Dapper;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Ingest;

[Collection(DevCorpusCollection.Name)]
public sealed class IngestTests(DevCorpusDb dev)
{
    private static Database NewDb(string dir) => Migrated(TestBackend.At(Path.Combine(dir, "test.db")));

    private static Database Migrated(Database db)
    {
        db.Migrate();
        return db;
    }

    [CorpusFact]
    public async Task Dev_corpus_gives_exact_counts_is_idempotent_and_permalinks_survive_a_rebuild()
    {
        var db = dev.Db;
        var first = dev.FirstRun;
        // 7,988 distinct texts, two of them earlier versions of a third (docs/identity.md: the Economist's chart round-up, updated daily).
        Assert.Equal((7986, 0, 29, 1, 0), (first.New, first.Updated, first.Duplicates, first.Skipped, first.Rejected));

        using var c = db.Open();
        Assert.Equal(7986, c.ExecuteScalar<long>("SELECT count(*) FROM articles"));
        Assert.Equal(7986, IndexChecks.IndexedCount(c));
        IndexChecks.AssertIntact(c);
        if (!db.IsPostgres)
        {
            // A bulk load ends merged into one segment, with FTS5's normal merge policy back.
            Assert.Equal(1, c.ExecuteScalar<long>("SELECT count(DISTINCT segid) FROM search.search_index_idx"));
            Assert.Equal((16L, 16L), MergePolicy(db));
        }

        var second = await new Ingester(db).RunAsync([TestData.DevCorpus]);
        Assert.Equal(8016, second.Unchanged);
        Assert.Equal(0, second.New + second.Updated + second.Duplicates + second.Skipped + second.Rejected);

        // Rebuild from scratch: every URL keeps its permalink and content.
        var rebuilt = NewDb(TestData.TempDir("rebuild"));
        await new Ingester(rebuilt).RunAsync([TestData.DevCorpus]);
        const string sql = "SELECT url || ' ' || permalink || ' ' || title || ' ' || length(text) FROM articles ORDER BY url";
        using var c2 = rebuilt.Open();
        Assert.Equal(c.Query<string>(sql).ToList(), c2.Query<string>(sql).ToList());
        TestData.TryDelete(Path.GetDirectoryName(rebuilt.Path)!);
    }

    [Fact]
    public async Task Changed_file_updates_its_article_in_place()
    {
        var dir = TestData.TempDir("changed");
        try
        {
            var seeds = Directory.CreateDirectory(Path.Combine(dir, "seeds")).FullName;
            foreach (var f in Directory.GetFiles(TestData.Seeds))
            {
                File.Copy(f, Path.Combine(seeds, Path.GetFileName(f)));
            }
            var db = NewDb(dir);
            Assert.Equal(2, (await new Ingester(db).RunAsync([seeds])).New);
            using var c = db.Open();
            var before = c.QuerySingle<(string Permalink, string Title)>("SELECT permalink, title FROM articles WHERE url LIKE '%voachinese%'");

            var file = Directory.GetFiles(seeds).Single(f => File.ReadAllText(f).Contains("voachinese"));
            File.WriteAllText(file, File.ReadAllText(file).Replace("普京与金正恩签署", "普京与金正恩正式签署"));
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
            var run = await new Ingester(db).RunAsync([seeds]);

            Assert.Equal((0, 1, 1), (run.New, run.Updated, run.Unchanged));
            var after = c.QuerySingle<(string Permalink, string Title)>("SELECT permalink, title FROM articles WHERE url LIKE '%voachinese%'");
            Assert.Equal(before.Permalink, after.Permalink);
            Assert.StartsWith("普京与金正恩正式签署", after.Title);
            Assert.Equal(1, IndexChecks.Matching(db, c, IndexQuery.Of(IndexColumns.TitleGrams, "正式", "式签")));
            Assert.Equal(0, IndexChecks.Matching(db, c, IndexQuery.Of(IndexColumns.TitleGrams, "恩签")));
            Assert.Equal(2, IndexChecks.IndexedCount(c));
        }
        finally
        {
            TestData.TryDelete(dir);
        }
    }

    /// <summary>Runs a test in a temporary folder, removed afterwards with the pooled connections into it.</summary>
    private static async Task InTempDir(string name, Func<string, Task> test)
    {
        var dir = TestData.TempDir(name);
        try
        {
            await test(dir);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestData.TryDelete(dir);
        }
    }

    /// <summary>A count on a fresh connection, as another process would read it.</summary>
    private static long Count(Database db, string sql)
    {
        using var c = db.OpenUnpooled();
        return c.ExecuteScalar<long>(sql);
    }

    private static long Index(Database db, Func<System.Data.Common.DbConnection, long> read)
    {
        using var c = db.OpenUnpooled();
        return read(c);
    }

    /// <summary>FTS5's automerge and crisismerge settings in the index file.</summary>
    private static (long, long) MergePolicy(Database db)
    {
        using var c = db.OpenUnpooled();
        var config = c.Query<(string K, long V)>("SELECT k, v FROM search.search_index_config WHERE k IN ('automerge', 'crisismerge')").ToDictionary(x => x.K, x => x.V);
        return (config["automerge"], config["crisismerge"]);
    }

    [SqliteFact("the index is a file of its own on SQLite (deleted or swapped here); PostgreSQL keeps it in the archive's database")]
    public Task A_missing_or_foreign_index_file_is_rebuilt_from_the_articles() => InTempDir("reindex", async dir =>
    {
        var db = NewDb(Path.Combine(dir, "a"));
        await new Ingester(db).RunAsync([TestData.Seeds]);
        const string sql = "SELECT count(*) FROM search_index WHERE search_index MATCH 'body_grams : \"签署\"'";
        var expected = Count(db, sql);
        Assert.True(expected > 0);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(db.IndexPath);
        db.Migrate();
        var run = await new Ingester(db).RunAsync([TestData.Seeds]);
        Assert.Equal(2, run.Unchanged);
        Assert.Equal(expected, Count(db, sql));

        // An index file of another archive (here: an empty one) is not trusted.
        var other = NewDb(Path.Combine(dir, "b"));
        await new Ingester(other).RunAsync([Path.Combine(dir, "b")]);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Copy(other.IndexPath, db.IndexPath, overwrite: true);
        File.Delete(db.IndexPath + "-wal");
        await new Ingester(db).RunAsync([TestData.Seeds]);
        Assert.Equal(expected, Count(db, sql));

        // An index of older tokens is emptied by its migration and rebuilt.
        using (var c = db.OpenIndexWriter())
        {
            c.Execute("PRAGMA user_version = 2");
        }
        db.Migrate();
        Assert.Equal(0, Count(db, sql));
        await new Ingester(db).RunAsync([TestData.Seeds]);
        Assert.Equal(expected, Count(db, sql));
    });

    [Fact]
    public Task A_cancelled_ingest_leaves_the_index_in_step_and_the_next_run_finishes() => InTempDir("cancel", async dir =>
    {
        var seeds = Directory.CreateDirectory(Path.Combine(dir, "seeds")).FullName;
        var seed = Directory.GetFiles(TestData.Seeds).Select(File.ReadAllText).Single(t => t.Contains("voachinese"));
        var header = System.Text.RegularExpressions.Regex.Match(seed, @"^\[(.+?)\]\((https?://[^)\s]+)\)", System.Text.RegularExpressions.RegexOptions.Multiline);
        var (title, url) = (header.Groups[1].Value, header.Groups[2].Value);
        for (var i = 0; i < 600; i++)
        {
            // A title and text of their own: copies with one folded title and text are one article, and
            // near-same texts under one title from one source are its revisions (Ingest/Ingester.Identity.cs).
            var copy = seed.Replace(url, $"https://example.com/cancel/{i}").Replace(title, $"{title} {i}");
            File.WriteAllText(Path.Combine(seeds, $"{i:D4}.md"), copy + $"\n<p>copy {i}</p>\n");
        }
        var db = NewDb(dir);
        using var cts = new CancellationTokenSource();
        // Cancelled as soon as the first batch is committed.
        var first = new Ingester(db) { OnProgress = _ => cts.Cancel() };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync([seeds], cts.Token));

        var stored = Count(db, "SELECT count(*) FROM articles");
        Assert.InRange(stored, 256, 599);
        if (!db.IsPostgres)
        {
            Assert.Equal((0L, 1000L), MergePolicy(db));
        }
        // What was committed was indexed before the run returned.
        Assert.Equal(stored, Index(db, IndexChecks.IndexedCount));

        var second = await new Ingester(db).RunAsync([seeds]);
        if (!db.IsPostgres)
        {
            Assert.Equal((16L, 16L), MergePolicy(db));
        }
        Assert.Equal(600 - stored, second.New);
        Assert.Equal(600, Index(db, IndexChecks.IndexedCount));
        Assert.Equal(600, Index(db, c => IndexChecks.Matching(db, c, IndexQuery.Of(IndexColumns.BodyGrams, "签署"))));
    });

    [Fact]
    public async Task Of_several_copies_of_a_url_the_first_path_wins_whatever_the_order()
    {
        var dir = TestData.TempDir("dups");
        try
        {
            static string Seed(string title) => $"<!--1718805542000-->\n[{title}](https://example.com/same)\n------\n<p>{title}</p>";
            var a = Path.Combine(dir, "a.md");
            var b = Path.Combine(dir, "b.md");
            File.WriteAllText(b, Seed("copy b"));
            var db = NewDb(dir);
            await new Ingester(db).RunAsync([b]);
            File.WriteAllText(a, Seed("copy a"));
            var run = await new Ingester(db).RunAsync([a, b]);

            Assert.Equal((0, 1, 1), (run.New, run.Duplicates, run.Unchanged));
            using var c = db.Open();
            Assert.Equal("copy a", c.QuerySingle<string>("SELECT title FROM articles"));
            Assert.Equal(1, IndexChecks.IndexedCount(c));
        }
        finally
        {
            TestData.TryDelete(dir);
        }
    }

    [Fact]
    public async Task Bad_files_are_reported_and_good_ones_stored()
    {
        var dir = TestData.TempDir("bad");
        try
        {
            File.WriteAllText(Path.Combine(dir, "empty.md"), "");
            File.WriteAllBytes(Path.Combine(dir, "binary.md"), [0, 1, 2, 3]);
            File.WriteAllText(Path.Combine(dir, "nourl.md"), "<!--1718805542000-->\n[t](nope)\n------\n");
            File.WriteAllText(Path.Combine(dir, "list.md"), "# a list\n");
            File.Copy(Directory.GetFiles(TestData.Seeds)[0], Path.Combine(dir, "good.txt"));
            var events = new List<FileEvent>();
            var db = NewDb(TestData.TempDir("bad-db"));
            var run = await new Ingester(db) { OnFile = e => { lock (events) { events.Add(e); } } }.RunAsync([dir]);

            Assert.Equal((1, 1, 3), (run.New, run.Skipped, run.Rejected));
            Assert.Equal(3, events.Count(e => e.Fate == FileStatus.Rejected && !string.IsNullOrEmpty(e.Reason)));
            // The words the command prints (scripts parse "rejected: PATH: reason").
            Assert.All(events.Where(e => e.Fate == FileStatus.Rejected), e => Assert.Equal("rejected", e.Status));
            Assert.Equal("skipped", Assert.Single(events, e => e.Fate == FileStatus.Skipped).Status);
            using var c = db.Open();
            Assert.Equal(["article", "rejected", "rejected", "rejected", "skipped"],
                c.Query<string>("SELECT status FROM source_files ORDER BY status"));
        }
        finally
        {
            TestData.TryDelete(dir);
        }
    }
}
