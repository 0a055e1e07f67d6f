using System.Security.Cryptography;
using System.Text;

namespace NewsArchive.Web.Search;

/// <summary>Tokens of the index's facets column: a filter by language or outlet is one more AND.</summary>
public static class Facets
{
    public static string LanguageToken(string language) => "l" + language.Replace("-", "").ToLowerInvariant();

    /// <summary>The outlet's id hashed: an id is any text (an unknown host's domain has dots, which the tokenizer splits at).</summary>
    public static string OutletToken(string outlet) =>
        "o" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(outlet)).AsSpan(0, 8));
}
