using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;

namespace NewsArchive.Tests.Ingest;

/// <summary>An archive stored by an earlier version gets this version's excerpts and tag rows at its next ingest.</summary>
public sealed class RederiveTests
{
    [Fact]
    public async Task Rows_of_an_earlier_version_are_derived_again()
    {
        using var dir = new TempFolder("rederive");
        var seeds = Directory.CreateDirectory(dir.File("seeds")).FullName;
        foreach (var f in Directory.GetFiles(TestData.Seeds))
        {
            File.Copy(f, Path.Combine(seeds, Path.GetFileName(f)));
        }
        SeedWriter.Write(seeds, "tagged.md", "有标签的文章", "https://example.com/tagged", "<p>Wed, 19 Jun 2024 13:39:24 GMT</p><p>一篇有标签的文章。</p>",
            DateTimeOffset.Parse("2024-06-19T13:39:24Z"), "tags: [ 臺灣, 新聞 ]");
        var db = TestBackend.At(dir.File("a.db"));
        db.Migrate();
        await new Ingester(db).RunAsync([seeds]);
        using (var c = db.OpenPrimary())
        {
            // As an earlier version left them: the excerpt cut from the text's start, no tag rows.
            c.Execute("UPDATE articles SET excerpt = substr(text, 1, 160), derivation = 0");
            c.Execute("DELETE FROM article_tags");
        }
        await new Ingester(db).RunAsync([seeds]);
        using (var c = db.OpenPrimary())
        {
            var rows = c.Query<(string Text, string Excerpt, long Tags)>(
                "SELECT text, excerpt, (SELECT count(*) FROM article_tags t WHERE t.article_id = articles.id) FROM articles").AsList();
            Assert.Equal(3, rows.Count);
            // The seed from RFI starts "12/06/2023 - 11:28" as archived; its excerpt starts at the news.
            Assert.Contains(rows, r => r.Text.StartsWith("12/06/2023 - 11:28 ", StringComparison.Ordinal) && r.Excerpt.StartsWith("据法新社", StringComparison.Ordinal));
            Assert.Contains(("Wed, 19 Jun 2024 13:39:24 GMT 一篇有标签的文章。", "一篇有标签的文章。", 2L), rows);
            Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE derivation = 0"));
        }
    }
}
