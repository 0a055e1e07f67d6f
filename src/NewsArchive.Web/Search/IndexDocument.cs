using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>What the search index holds of one article: the tokens of its folded title and body, and its facets.</summary>
public sealed record IndexDocument(Tokens.Streams Title, Tokens.Streams Body, string FacetTokens)
{
    /// <summary>
    /// The folded text indexed per article, at most: NFKC expands some characters up to 18-fold
    /// (U+FDFA), so a capped text is not enough to bound the index writer's work. The tokens per
    /// article are bounded with it: a few per folded character.
    /// </summary>
    public const int MaxFolded = 2_000_000;

    public static IndexDocument Of(string title, string text, string language, string outlet, List<string>? notes = null) =>
        FromFolded(Folding.Fold(title), Folding.Fold(text), language, outlet, notes);

    /// <summary>Again from a stored article (an index rebuild, a queued change the writer no longer holds).</summary>
    public static IndexDocument Of(ArticleRow a) => Of(a.Title, a.Text ?? "", a.Language, a.Outlet);

    /// <summary>
    /// Built on the ingest's parser threads (tokenizing is CPU-heavy), with the content hash
    /// (Model/UrlIdentity) from the same fold of the article, and whether that hash identifies it.
    /// </summary>
    public static (IndexDocument Document, string ContentHash, bool Identifies) WithContentHash(Article a, List<string>? notes)
    {
        var (title, text) = (Folding.Fold(a.Title), Folding.Fold(a.Text));
        return (FromFolded(title, text, a.Language, a.Outlet, notes), UrlIdentity.FoldedContentHash(title, text), UrlIdentity.ContentIdentifies(title, text));
    }

    /// <summary>The columns of the index row.</summary>
    public IndexRow Row => new(Title.Words, Title.Grams, Title.Unigrams, Body.Words, Body.Grams, Body.Unigrams, FacetTokens);

    private static IndexDocument FromFolded(string title, string text, string language, string outlet, List<string>? notes) =>
        new(Tokens.Tokenize(Capped(title, notes)), Tokens.Tokenize(Capped(text, notes)),
            Facets.LanguageToken(language) + " " + Facets.OutletToken(outlet));

    private static string Capped(string folded, List<string>? notes)
    {
        if (folded.Length <= MaxFolded)
        {
            return folded;
        }
        notes?.Add($"only the first {MaxFolded} characters of the folded text are indexed");
        return CleanText.Truncate(folded, MaxFolded);
    }
}
