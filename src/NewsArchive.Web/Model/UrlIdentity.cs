using System.Text;
using System.Text.RegularExpressions;

namespace NewsArchive.Web.Model;

/// <summary>
/// The identity of a URL: two URLs with one key are one article. Used for identity only; the
/// original URL of each file is kept and shown. The key drops what does not name a different page:
/// the scheme (http = https), host case, <c>www.</c>, a default port, a trailing slash, the fragment,
/// tracking parameters and the order of the others, the case of percent-escapes (and escapes of
/// unreserved characters); a web-archive capture URL is the URL it captured.
/// </summary>
public static partial class UrlIdentity
{
    private static readonly HashSet<string> Tracking = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "spm",
        "_ga", "_gl", "mkt_tok", "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "wt_mc", "cmpid",
    };

    [GeneratedRegex(@"^(?:https?://)?(?:www\.)?web\.archive\.org/web/\d{1,14}[a-z_]*/(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Capture();

    [GeneratedRegex(@"^(https?):/+", RegexOptions.IgnoreCase)]
    private static partial Regex SchemeSlashes();

    public static string Key(string url)
    {
        url = url.Trim();
        // A capture of a capture is unwrapped too; the inner URL may have lost a slash ("http:/x").
        while (Capture().Match(url) is { Success: true } m)
        {
            url = SchemeSlashes().Replace(m.Groups[1].Value, "$1://");
        }
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            url = "http://" + url;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return url;
        }
        var host = uri.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }
        var sb = new StringBuilder(host);
        if (!uri.IsDefaultPort)
        {
            sb.Append(':').Append(uri.Port);
        }
        // From the original string, not Uri's escaped form, so escapes are normalized one way only.
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var cut = rest.IndexOfAny(['/', '?', '#']);
        rest = cut < 0 ? "" : rest[cut..];
        var hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            rest = rest[..hash];
        }
        var q = rest.IndexOf('?');
        var path = Escapes(q < 0 ? rest : rest[..q]).TrimEnd('/');
        sb.Append(path.Length == 0 ? "/" : path);
        if (q >= 0)
        {
            var kept = rest[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(Escapes)
                .Where(p => !IsTracking(p[..(p.IndexOf('=') is var e and >= 0 ? e : p.Length)]))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (kept.Count > 0)
            {
                sb.Append('?').AppendJoin('&', kept);
            }
        }
        return sb.ToString();
    }

    private static bool IsTracking(string name) =>
        name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || Tracking.Contains(name);

    /// <summary>Percent-escapes in upper case; escapes of unreserved characters (RFC 3986) decoded.</summary>
    private static string Escapes(string s)
    {
        if (!s.Contains('%'))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                var c = (char)Convert.ToInt32(s.Substring(i + 1, 2), 16);
                if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(char.ToUpperInvariant(s[i + 1])).Append(char.ToUpperInvariant(s[i + 2]));
                }
                i += 2;
            }
            else
            {
                sb.Append(s[i]);
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Which of an article's URLs is canonical, whatever order its files arrive in: https before
    /// http, a live address before a web-archive capture, then the shortest, then ordinal order;
    /// between two files with the same URL, the path that sorts first.
    /// </summary>
    public static int Compare(string url, string path, string otherUrl, string otherPath)
    {
        static (bool, bool, int) Rank(string u) =>
            (!u.StartsWith("https://", StringComparison.OrdinalIgnoreCase), Capture().IsMatch(u), u.Length);
        var c = Rank(url).CompareTo(Rank(otherUrl));
        if (c == 0)
        {
            c = string.CompareOrdinal(url, otherUrl);
        }
        return c != 0 ? c : string.CompareOrdinal(path, otherPath);
    }

    /// <summary>
    /// Folded title and text shorter than this together (a title "t" over a body "x") are too little
    /// to be one article by content alone: only their URLs merge them, and they are no revision by
    /// their text's likeness either (docs/identity.md).
    /// </summary>
    public const int MinContentChars = 50;

    /// <summary>Whether the content hash of this folded title and text names an article (<see cref="MinContentChars"/>).</summary>
    public static bool ContentIdentifies(string foldedTitle, string foldedText) => foldedTitle.Length + foldedText.Length >= MinContentChars;

    /// <summary>Same folded title and folded text (<see cref="ContentIdentifies"/>): the same article, whatever its URLs.</summary>
    public static string ContentHash(string title, string text) => FoldedContentHash(Text.Folding.Fold(title), Text.Folding.Fold(text));

    /// <summary>The same from text already folded (the ingest folds each article once, for the index too).</summary>
    public static string FoldedContentHash(string foldedTitle, string foldedText) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(foldedTitle + "\n" + foldedText)))[..32];
}
