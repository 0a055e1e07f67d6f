using System.Diagnostics;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Hardening;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Identity;

/// <summary>
/// The merge of an archive stored before identity (Ingester.Reconcile), killed with SIGKILL in the
/// middle and run again: nothing is lost, every URL looks up, every article is there once, and
/// every file's record points at the article kept.
/// </summary>
public sealed class ReconcileKillTests
{
    private const int Articles = 3000;

    [Fact]
    public async Task A_kill_in_the_middle_of_the_merge_loses_nothing()
    {
        using var t = new TempDatabase("reconcile-kill");
        for (var i = 0; i < Articles; i++)
        {
            SeedWriter.Write(t.Seeds, $"{i:D5}.md", $"第{i}篇 Story {i}", $"https://www.example.com/news/{i}.html",
                $"<p>这是第{i}篇文章的正文，关于话题{i * 7}。</p><p>Body of story number {i}.</p>", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + (i * 60)));
        }
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        using (var c = t.Db.OpenUnpooled())
        using (var tx = c.BeginTransaction())
        {
            // What an archive from before migration 0005 holds: each article again under another id
            // (one content, of 50 characters or more, two URL keys), with its own file record (in a
            // folder this ingest does not walk, so it is not taken for deleted); no aliases, no content hashes.
            c.Execute("""
                INSERT INTO articles (id, permalink, url, title, published, sort_key, source, language, tags, excerpt, lead_image,
                                      text, html, source_path, ingested_at, updated_at)
                SELECT id + 100000, 'tmp' || id, 'https://www.example.com/story.php?id=' || id, title, published,
                       sort_key + 1, source, language, tags, excerpt, lead_image, text, html, '/elsewhere' || source_path, ingested_at, updated_at
                FROM articles;
                INSERT INTO source_files (path, size, mtime, hash, status, reason, article_id)
                SELECT '/elsewhere' || path, size, mtime, hash, 'article', NULL, article_id + 100000 FROM source_files;
                UPDATE articles SET content_hash = NULL;
                DELETE FROM article_aliases;
                """, transaction: tx);
            foreach (var (id, url) in c.Query<(long, string)>("SELECT id, url FROM articles WHERE id > 100000", transaction: tx).AsList())
            {
                c.Execute("UPDATE articles SET permalink = @p WHERE id = @id", new { p = Permalink.For(url), id }, tx);
            }
            tx.Commit();
        }
        var urls = Urls(t.Db);
        Assert.Equal(2 * Articles, urls.Count);

        // Killed once some batches of the merge are committed and others are not.
        using (var p = Process.Start(Child.StartInfo(["ingest", t.Seeds, "--db", t.Path]))!)
        {
            while (!p.HasExited && Unreconciled(t.Db) == 2 * Articles)
            {
                await Task.Delay(1);
            }
            p.Kill();
            await p.WaitForExitAsync();
        }
        var left = Unreconciled(t.Db);
        Assert.InRange(left, 1, (2 * Articles) - 1);

        var again = await Child.RunAsync(["ingest", t.Seeds, "--db", t.Path], TimeSpan.FromMinutes(3));
        Assert.Equal(0, again.ExitCode);
        using var after = t.Db.OpenUnpooled();
        Assert.Equal(0, Unreconciled(t.Db));
        Assert.Equal(Articles, after.ExecuteScalar<long>("SELECT count(*) FROM articles"));
        Assert.Equal(Articles, after.ExecuteScalar<long>("SELECT count(DISTINCT content_hash) FROM articles"));
        foreach (var (url, permalink) in urls)
        {
            var canonical = ArticleAliasStore.PermalinkByKey(after, UrlIdentity.Key(url));
            Assert.NotNull(canonical);
            Assert.True(permalink == canonical || ArticleAliasStore.CanonicalOf(after, permalink) == canonical, url);
        }
        // Every file's record names an article that is there: the kept one.
        Assert.Equal(0, after.ExecuteScalar<long>(
            "SELECT count(*) FROM source_files f WHERE f.article_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = f.article_id)"));
        Assert.Equal(2 * Articles, after.ExecuteScalar<long>("SELECT count(*) FROM source_files WHERE article_id IS NOT NULL"));
    }

    private static long Unreconciled(Database db)
    {
        using var c = db.OpenUnpooled();
        return c.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE content_hash IS NULL");
    }

    private static List<(string Url, string Permalink)> Urls(Database db)
    {
        using var c = db.OpenUnpooled();
        return c.Query<(string, string)>("SELECT url, permalink FROM articles").AsList();
    }
}
