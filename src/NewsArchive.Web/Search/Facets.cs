using System.Security.Cryptography;
using System.Text;

namespace NewsArchive.Web.Search;

/// <summary>Tokens of the index's facets column: a filter by language or source is one more AND.</summary>
public static class Facets
{
    public static string LanguageToken(string language) => "l" + language.Replace("-", "").ToLowerInvariant();

    public static string SourceToken(string source) =>
        "s" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)).AsSpan(0, 8));
}
