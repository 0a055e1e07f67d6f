using System.Net;
using System.Text.RegularExpressions;

namespace NewsArchive.Web.Reader;

/// <summary>A title for a file that has none: the first heading, else the first sentence of the text, else the URL's decoded slug.</summary>
public static partial class DerivedTitle
{
    /// <summary>Longest derived title, in characters: a sentence past this is cut at a word or character.</summary>
    public const int MaxLength = 80;

    [GeneratedRegex(@"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Heading();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    public static string Of(string safeHtml, string text, string url)
    {
        if (Heading().Match(safeHtml) is { Success: true } h
            && ArticleHtml.CollapseSpace(WebUtility.HtmlDecode(Tag().Replace(h.Groups[1].Value, " "))).Trim() is { Length: > 0 } heading)
        {
            return Cut(heading);
        }
        var sentence = text.Trim();
        var end = sentence.AsSpan(0, Math.Min(sentence.Length, MaxLength + 1)).IndexOfAny("。！？!?\n");
        if (end < 0 && sentence.IndexOf(". ", StringComparison.Ordinal) is var dot and > 0 and <= MaxLength)
        {
            end = dot;
        }
        if (end > 0)
        {
            return Cut(sentence[..(end + 1)].Trim());
        }
        return sentence.Length > 0 ? Cut(sentence) : Slug(url);
    }

    /// <summary>The last path segment, unescaped, its separators as spaces: /2020/a-b-c.html → "a b c".</summary>
    public static string Slug(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.AbsolutePath : url;
        var segment = path.TrimEnd('/').Split('/')[^1];
        segment = Uri.UnescapeDataString(segment);
        var dot = segment.LastIndexOf('.');
        if (dot > 0)
        {
            segment = segment[..dot];
        }
        var title = ArticleHtml.CollapseSpace(segment.Replace('-', ' ').Replace('_', ' ').Replace('\uFFFD', ' ')).Trim();
        return title.Length > 0 ? title : url;
    }

    private static string Cut(string s) => s.Length <= MaxLength ? s : ArticleReader.Cut(s, MaxLength);
}
