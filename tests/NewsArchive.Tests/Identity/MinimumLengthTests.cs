using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Identity;

/// <summary>
/// Content identity and the revision rule need 50 characters of folded title and text: below, two
/// files are one article only by their URLs. Real files, real ingests, both sides of the threshold.
/// </summary>
public sealed class MinimumLengthTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    // 13 characters of title; bodies of 36 (49 in all) and 37 (50): lower case ASCII, which folding leaves as it is.
    private const string Title = "Boundary case";
    private const string Body49 = "the council met on tuesday to vote n";
    private const string Body50 = "the council met on tuesday to vote no";

    private static (long Articles, long Revisions) Counts(Database db)
    {
        using var c = db.Open();
        return (ArticleStore.Count(c, new ArticleFilter()), c.ExecuteScalar<long>("SELECT count(*) FROM article_revisions"));
    }

    [Theory]
    [InlineData("t", "x", 2)]
    [InlineData(Title, Body49, 2)]
    [InlineData(Title, Body50, 1)]
    public async Task The_same_content_at_unrelated_urls_is_one_article_only_from_fifty_characters(string title, string body, long articles)
    {
        using var t = new TempDatabase("min-content");
        // Two hosts: two sources, so only the content hash can merge them.
        SeedWriter.Write(t.Seeds, "a.md", title, "https://one.example.com/a", $"<p>{body}</p>", T);
        SeedWriter.Write(t.Seeds, "b.md", title, "https://two.example.org/b", $"<p>{body}</p>", T);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        Assert.Equal((articles, 0L), Counts(t.Db));
    }

    [Theory]
    [InlineData(Body49, "the council met on tuesday to vote m", 2, 0)]
    [InlineData(Body50, "the council met on tuesday to vote na", 1, 1)]
    public async Task A_nearly_same_text_from_one_source_is_a_revision_only_from_fifty_characters(string first, string second, long articles, long revisions)
    {
        using var t = new TempDatabase("min-revision");
        SeedWriter.Write(t.Seeds, "a.md", Title, "https://news.example.com/a", $"<p>{first}</p>", T);
        SeedWriter.Write(t.Seeds, "b.md", Title, "https://news.example.com/b", $"<p>{second}</p>", T.AddHours(1));
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        Assert.Equal((articles, revisions), Counts(t.Db));
    }

    [Fact]
    public async Task Short_files_at_one_url_are_still_one_article()
    {
        using var t = new TempDatabase("min-url");
        SeedWriter.Write(t.Seeds, "a.md", "t", "https://www.example.com/short/", "<p>x</p>", T);
        SeedWriter.Write(t.Seeds, "b.md", "t", "http://example.com/short?utm_source=rss", "<p>x</p>", T);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        Assert.Equal((1L, 0L), Counts(t.Db));
    }
}
