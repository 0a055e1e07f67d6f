using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Search;

/// <summary>
/// The engine keeps each query's exact total for the pages that follow; an ingest or a removal
/// that changes the index must change the totals at once, on the same engine.
/// </summary>
public sealed class CountCacheTests
{
    [Fact]
    public async Task Totals_and_facet_counts_follow_every_change_to_the_index()
    {
        var dir = TestData.TempDir("count-cache");
        try
        {
            var seeds = Directory.CreateDirectory(Path.Combine(dir, "seeds")).FullName;
            void Write(int i, string body) =>
                File.WriteAllText(Path.Combine(seeds, $"{i}.md"), $"<!--{1718805542000 + i}-->\n[标题{i}](https://example.com/{i})\n------\n<p>{body}</p>");
            Write(0, "香港立法会今日开会");
            Write(1, "香港天气晴朗");
            var db = TestBackend.At(Path.Combine(dir, "test.db"));
            db.Migrate();
            var ingester = new Ingester(db);
            await ingester.RunAsync([seeds]);

            var engine = new SearchEngine(db);
            var query = SearchQuery.Parse("香港");
            async Task<long> Total(int page = 1) => (await engine.SearchAsync(new SearchRequest(query, new ArticleFilter(), SearchSort.Relevance, page, 1))).Total;
            Assert.Equal(2, await Total());
            Assert.Equal(2, await Total(page: 2));
            Assert.Equal(2, (await engine.CountsAsync([IndexPlan.Of(query, new ArticleFilter(Language: "zh-Hans"))]))[0]);

            Write(2, "香港机场恢复航班");
            await ingester.RunAsync([seeds]);
            Assert.Equal(3, await Total());
            Assert.Equal(3, (await engine.CountsAsync([IndexPlan.Of(query, new ArticleFilter(Language: "zh-Hans"))]))[0]);

            Write(1, "台北天气晴朗");
            await ingester.RunAsync([seeds]);
            Assert.Equal(2, await Total());
            Assert.Equal(2, (await engine.CountsAsync([IndexPlan.Of(query, new ArticleFilter(Language: "zh-Hans"))]))[0]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestData.TryDelete(dir);
        }
    }
}
