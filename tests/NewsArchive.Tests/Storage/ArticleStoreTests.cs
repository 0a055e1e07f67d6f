using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Storage;

[Collection(DevCorpusCollection.Name)]
public sealed class ArticleStoreTests(DevCorpusDb dev)
{
    [CorpusFact]
    public void Pages_read_from_the_oldest_end_equal_pages_read_from_the_newest()
    {
        using var c = dev.Db.Open();
        foreach (var f in new[] { new ArticleFilter(), new ArticleFilter(Language: "zh-Hant"), new ArticleFilter(Outlet: "rfa") })
        {
            var total = ArticleStore.Count(c, f);
            Assert.True(total > 40);
            foreach (var offset in new[] { 0, (int)(total / 2) + 1, (int)total - 25, (int)total - 20, (int)total - 7 })
            {
                var fromNewest = ArticleStore.Page(c, f, offset, 20).Select(r => r.Id);
                var fromOldest = ArticleStore.Page(c, f, offset, 20, total).Select(r => r.Id);
                Assert.Equal(fromNewest, fromOldest);
            }
        }
    }

    [CorpusFact]
    public void Sort_keys_follow_publication_time()
    {
        using var c = dev.Db.Open();
        var rows = ArticleStore.Page(c, new ArticleFilter(), 0, 10_000);
        var dated = rows.Where(r => r.Published is not null).Select(r => r.Published!.Value).ToList();
        Assert.Equal(dated.OrderByDescending(p => p), dated);
    }
}
