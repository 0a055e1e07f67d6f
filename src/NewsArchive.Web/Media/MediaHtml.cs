using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace NewsArchive.Web.Media;

/// <summary>The images of an article's sanitized HTML: which URLs to queue, and the HTML pointing at the stored copies.</summary>
public static partial class MediaHtml
{
    private static readonly HtmlParser Parser = new();

    // The sanitizer serializes every attribute in double quotes with & and " escaped, so this
    // finds each src exactly, without a second parse in the ingest's writer.
    [GeneratedRegex("<img\\s[^>]*?\\bsrc=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ImgSrc();

    /// <summary>The image URLs of a stored body, and its lead image, as queue keys (<see cref="Key"/>), each once.</summary>
    public static List<string> ImageUrls(string html, string? leadImage)
    {
        var urls = ImgSrc().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        if (leadImage is not null)
        {
            urls.Add(leadImage);
        }
        return urls.Select(Key).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// An absolute http(s) URL as the request a fetch would send (fragment dropped, host lowercased,
    /// default port dropped, non-ASCII and percent-escapes in one form), so two spellings of one
    /// image are one queue row and one fetch; null when it cannot be fetched.
    /// </summary>
    public static string? Key(string url) =>
        url.Length <= 2048 && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
            ? u.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped)
            : null;

    public static string LocalPath(string hash) => "/media/" + hash;

    public static string LoadPath(string url) => "/media/load?url=" + Uri.EscapeDataString(url);

    /// <summary>
    /// Points every stored image at its local copy (<c>/media/{hash}</c> under <paramref name="pathBase"/>, the site's path base). The others keep their
    /// origin under <c>load</c>; under <c>click</c> they become a button (labelled <paramref name="clickLabel"/>)
    /// that wwwroot/js/media.js turns into the image, fetched through the archive, when clicked.
    /// </summary>
    public static string RewriteImages(string html, IReadOnlyDictionary<string, string> stored, bool click, string clickLabel, string pathBase)
    {
        if ((stored.Count == 0 && !click) || !html.Contains("<img", StringComparison.Ordinal))
        {
            return html;
        }
        var doc = Parser.ParseDocument("<body>" + html);
        foreach (var img in doc.Images.ToList())
        {
            var src = img.GetAttribute("src") ?? "";
            if (Key(src) is { } key && stored.TryGetValue(key, out var hash))
            {
                img.SetAttribute("src", pathBase + LocalPath(hash));
            }
            else if (click)
            {
                img.Replace(Placeholder(doc, img, src, clickLabel, pathBase));
            }
        }
        return doc.Body!.InnerHtml;
    }

    private static IElement Placeholder(IDocument doc, IElement img, string src, string label, string pathBase)
    {
        var button = doc.CreateElement("button");
        button.SetAttribute("type", "button");
        button.SetAttribute("class", "media-load");
        button.SetAttribute("data-alt", img.GetAttribute("alt") ?? "");
        if (img.GetAttribute("class") is { } cls)
        {
            button.SetAttribute("data-class", cls);
        }
        // Only URLs the archive queued can be fetched through it; others stay a label.
        if (Key(src) is { } key)
        {
            button.SetAttribute("data-src", pathBase + LoadPath(key));
        }
        button.TextContent = string.IsNullOrEmpty(img.GetAttribute("alt")) ? label : $"{label}: {img.GetAttribute("alt")}";
        return button;
    }
}
