using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>What the search index holds of one article: the tokens of its folded title and body, and its facets.</summary>
public sealed record IndexDocument(Tokens.Streams Title, Tokens.Streams Body, string FacetTokens)
{
    public static IndexDocument Of(string title, string text, string language, string source) =>
        new(Tokens.Tokenize(Folding.Fold(title)), Tokens.Tokenize(Folding.Fold(text)),
            Facets.LanguageToken(language) + " " + Facets.SourceToken(source));
}
