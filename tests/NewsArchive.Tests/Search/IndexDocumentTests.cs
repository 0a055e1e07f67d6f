using System.Text;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Search;

namespace NewsArchive.Tests.Search;

/// <summary>The index document is built from the reader's article (on the ingest's parser threads), not by the reader.</summary>
public sealed class IndexDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Article Read(string body) =>
        ArticleReader.Read(Encoding.UTF8.GetBytes("<!--1718805542000-->\n[T](https://e.com/a)\n------\n" + body), "x.md", Now).Article!;

    [Fact]
    public void Text_that_nfkc_expands_is_indexed_up_to_the_cap_with_a_note()
    {
        // U+FDFA folds to 18 characters: 500k of them are 9M folded, over the cap.
        var notes = new List<string>();
        var d = IndexDocument.WithContentHash(Read("<p>" + new string('\uFDFA', 500_000) + "</p>"), notes).Document;
        Assert.Contains(notes, n => n.Contains($"only the first {IndexDocument.MaxFolded} characters of the folded text", StringComparison.Ordinal));
        Assert.NotEmpty(d.Body.Grams);
    }

    [Fact]
    public void A_short_article_is_indexed_whole_without_a_note()
    {
        var notes = new List<string>();
        var d = IndexDocument.WithContentHash(Read("<p>Vaccine news from 香港</p>"), notes).Document;
        Assert.Empty(notes);
        Assert.Contains("vaccine", d.Body.Words.Split(' '));
        Assert.Contains("香港", d.Body.Grams.Split(' '));
        Assert.Equal(["t"], d.Title.Words.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
