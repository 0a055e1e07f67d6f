using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Outlets;

/// <summary>Existing archives get outlets without a permalink changing; an operator's table is applied to them.</summary>
public sealed class OutletMigrationTests
{
    /// <summary>Real files of the dev corpus: China Digital Times under its name, a pen name and "unknown", Bitter Winter under a person.</summary>
    private static void CopyCorpusFiles(string seeds)
    {
        var wanted = new Dictionary<string, int> { ["中国数字时代"] = 2, ["最后领导人"] = 2, ["unknown"] = 1, ["鄧婕"] = 1, ["寒冬"] = 1 };
        foreach (var path in Directory.EnumerateFiles(TestData.DevCorpus, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var author = File.ReadLines(path).Take(12).FirstOrDefault(l => l.StartsWith("author: ", StringComparison.Ordinal))?[8..].Trim();
            if (author is not null && wanted.TryGetValue(author, out var left) && left > 0)
            {
                wanted[author] = left - 1;
                File.Copy(path, Path.Combine(seeds, $"{wanted.Values.Sum()}-{Path.GetFileName(path)}"));
            }
        }
        Assert.All(wanted.Values, left => Assert.Equal(0, left));
        foreach (var seed in Directory.EnumerateFiles(TestData.Seeds))
        {
            File.Copy(seed, Path.Combine(seeds, Path.GetFileName(seed)));
        }
    }

    private static async Task<long> Matches(Database db, string outlet) =>
        (await new SearchEngine(db, cacheCounts: false).SearchAsync(
            new SearchRequest(SearchQuery.Parse("的"), new ArticleFilter(Outlet: outlet), SearchSort.Newest, 1, 20))).Total;

    [CorpusFact]
    public async Task Rows_from_before_outlets_get_them_at_the_next_ingest_and_keep_their_permalinks()
    {
        using var t = new TempDatabase("outlets");
        CopyCorpusFiles(t.Seeds);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        List<(string Permalink, string Source)> Rows()
        {
            using var c = t.Db.OpenPrimary();
            return c.Query<(string, string)>("SELECT permalink, source FROM articles ORDER BY id").AsList();
        }
        var before = Rows();
        Assert.Equal(7 + 2, before.Count);

        // As migration 0011 leaves an archive: no outlet, no byline, no fingerprint, and index
        // rows whose facet tokens are not the outlets'.
        using (var c = t.Db.OpenArticles())
        using (var tx = c.BeginTransaction())
        {
            c.Execute("UPDATE articles SET outlet = '', byline = NULL; UPDATE archive_info SET outlets_fingerprint = NULL; DELETE FROM outlets", transaction: tx);
            foreach (var key in c.Query<long>("SELECT sort_key FROM articles", transaction: tx))
            {
                IndexQueueStore.Enqueue(c, key, put: false, tx);
                IndexQueueStore.Enqueue(c, key, put: true, tx);
            }
            tx.Commit();
        }
        using (var indexer = new Indexer(t.Db))
        {
            indexer.Prepare();
            indexer.CatchUp();
        }
        Assert.Equal(0, await Matches(t.Db, "cdt"));

        await new Ingester(t.Db).RunAsync([t.Seeds]);
        Assert.Equal(before, Rows());
        using (var c = t.Db.OpenPrimary())
        {
            var outlets = OutletStore.Counts(c).ToDictionary(o => o.Outlet, o => o.Count);
            Assert.Equal(new Dictionary<string, long> { ["cdt"] = 5, ["bitterwinter"] = 2, ["rfi"] = 1, ["voa"] = 1 }, outlets);
            Assert.Equal(["最后领导人", "最后领导人", "鄧婕"], c.Query<string>("SELECT byline FROM articles WHERE byline IS NOT NULL ORDER BY byline").Order());
        }
        using (var c = t.Db.OpenPrimary())
        {
            foreach (var outlet in new[] { "cdt", "bitterwinter" })
            {
                var withTerm = ArticleStore.Page(c, new ArticleFilter(Outlet: outlet), 0, 100)
                    .Count(r => (r.Title + ArticleStore.GetBySortKey(c, r.SortKey)!.Text).Contains('的'));
                Assert.True(withTerm > 0);
                Assert.Equal(withTerm, await Matches(t.Db, outlet));
            }
        }

        // Idempotent: the next run derives nothing again and queues nothing for the index.
        long queued;
        using (var c = t.Db.OpenArticles())
        {
            queued = IndexQueueStore.LastSeq(c);
        }
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        using (var c = t.Db.OpenArticles())
        {
            Assert.Equal(queued, IndexQueueStore.LastSeq(c));
        }
    }

    [CorpusFact]
    public async Task An_operator_s_outlets_override_and_extend_the_shipped_table()
    {
        using var dir = new TempFolder("outlet-config");
        var seeds = dir.Folder("seeds");
        CopyCorpusFiles(seeds);
        SeedWriter.Write(seeds, "wire.md", "样例通讯报道", "https://news.example.com/2024/wire", "<p>样例通讯的一篇报道。</p>",
            DateTimeOffset.Parse("2024-03-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "author: 张三");
        SeedWriter.Write(seeds, "daily.md", "无名日报的报道", "https://www.unknown-daily.com.hk/a/1", "<p>无名日报的报道。</p>",
            DateTimeOffset.Parse("2024-03-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var file = dir.File("outlets.json");
        File.WriteAllText(file, """
            // An operator's table: one outlet more.
            { "outlets": [ { "id": "example", "en": "Example Wire", "zhHans": "样例通讯", "zhHant": "樣例通訊", "hosts": ["example.com"] } ] }
            """);
        using var app = new AppFactory(seeds, settings: new Dictionary<string, string>
        {
            ["Archive:OutletsFile"] = file,
            ["Archive:Outlets:0:Id"] = "rfi",
            ["Archive:Outlets:0:En"] = "Radio France Internationale",
        });
        var client = await app.ClientWithArticlesAsync(7 + 2 + 2, cookies: false);
        var en = await client.GetStringAsync("/sources?lang=en");
        Assert.Contains(">Radio France Internationale</a>", en);
        Assert.Contains(">Example Wire</a>", en);
        Assert.Contains(">unknown-daily.com.hk</a>", en);
        Assert.Contains(">樣例通訊</a>", await client.GetStringAsync("/sources?lang=zh-Hant"));

        var wire = (await client.GetFromJsonAsync<JsonElement>("/api/articles?source=example")).GetProperty("results")[0];
        Assert.Equal(("example", "张三", "样例通讯"),
            (wire.GetProperty("source").GetString(), wire.GetProperty("byline").GetString(), wire.GetProperty("outlet").GetProperty("names").GetProperty("zh-Hans").GetString()));
        var daily = (await client.GetFromJsonAsync<JsonElement>("/api/articles?source=unknown-daily.com.hk")).GetProperty("results")[0];
        Assert.Equal(JsonValueKind.Null, daily.GetProperty("byline").ValueKind);
    }
}
