using System.Security.Cryptography;
using System.Text;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Model;

/// <summary>
/// An article as the reader reads it and the store keeps it; TitleDerived: the file had no title
/// (Reader/ArticleReader.cs). Source is what the file names (its author, else its URL's host);
/// Outlet and Byline are derived from it and the URL by the ingest (Model/OutletTable).
/// </summary>
public sealed record Article(
    string Permalink,
    string Url,
    string Title,
    DateTimeOffset? Published,
    string Source,
    string Language,
    IReadOnlyList<string> Tags,
    string Excerpt,
    string? LeadImage,
    string Text,
    string Html,
    bool TitleDerived = false,
    string Outlet = "",
    string? Byline = null);

/// <summary>Permalink ids: the first 60 bits of SHA-256 of the URL in base32, the same on every machine.</summary>
public static class Permalink
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string For(string url)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(url));
        var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash);
        var sb = new StringBuilder(12);
        for (var i = 0; i < 12; i++)
        {
            sb.Append(Alphabet[(int)(bits >> (59 - (5 * i))) & 31]);
        }
        return sb.ToString();
    }

    public static bool IsWellFormed(string id) => id.Length == 12 && id.All(c => Alphabet.Contains(c));
}

/// <summary>zh-Hans, zh-Hant or en, from the characters of the text.</summary>
public static class Languages
{
    public const string Simplified = "zh-Hans";
    public const string Traditional = "zh-Hant";
    public const string English = "en";
    public static readonly string[] All = [Simplified, Traditional, English];

    public static string Detect(string text)
    {
        int han = 0, latin = 0, trad = 0, simp = 0;
        var script = ChineseScript.Instance;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Folding.IsCjk(rune.Value))
            {
                han++;
                if (script.IsTraditionalOnly(rune.Value))
                {
                    trad++;
                }
                else if (script.IsSimplifiedOnly(rune.Value))
                {
                    simp++;
                }
            }
            else if (Rune.IsLetter(rune))
            {
                latin++;
            }
        }
        if (han == 0 || han * 4 < latin)
        {
            return English;
        }
        return trad > simp ? Traditional : Simplified;
    }

    public static bool IsMostlyLatin(ReadOnlySpan<char> text)
    {
        var cjk = 0;
        foreach (var c in text)
        {
            if (Folding.IsCjk(c))
            {
                cjk++;
            }
        }
        return cjk * 10 < text.Length;
    }
}
