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
    /// Points every stored image at its local copy (<c>/media/{hash}</c> under <paramref name="pathBase"/>, the site's path base).
    /// Any other image becomes a placeholder, a box with its alt text and a link to the original, so
    /// a page never shows a broken image: under <c>load</c> wwwroot/js/media.js swaps in the origin's
    /// image once it has loaded; under <c>click</c> the box holds a button that loads it through the archive.
    /// </summary>
    public static string RewriteImages(string html, IReadOnlyDictionary<string, string> stored, bool click, MediaLabels labels, string pathBase)
    {
        if (!html.Contains("<img", StringComparison.Ordinal))
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
            else
            {
                img.Replace(Placeholder(doc, img, click, labels, pathBase));
            }
        }
        return doc.Body!.InnerHtml;
    }

    private static IElement Placeholder(IDocument doc, IElement img, bool click, MediaLabels labels, string pathBase)
    {
        var alt = img.GetAttribute("alt") ?? "";
        var key = Key(img.GetAttribute("src") ?? "");
        var box = doc.CreateElement("span");
        box.SetAttribute("class", "media-placeholder");
        box.SetAttribute("data-alt", alt);
        if (img.GetAttribute("class") is { } cls)
        {
            box.SetAttribute("data-class", cls);
        }
        var text = doc.CreateElement("span");
        text.SetAttribute("class", "media-alt");
        text.TextContent = alt.Length > 0 ? alt : labels.NotArchived;
        box.AppendChild(text);
        // Only URLs the archive queued can be fetched through it or linked; others stay words.
        if (key is null)
        {
            return box;
        }
        if (click)
        {
            var button = doc.CreateElement("button");
            button.SetAttribute("type", "button");
            button.SetAttribute("class", "media-load");
            button.SetAttribute("data-src", pathBase + LoadPath(key));
            button.TextContent = labels.Load;
            box.AppendChild(button);
        }
        else
        {
            box.SetAttribute("data-remote", key);
        }
        // A link inside a linked image would be a link in a link, which browsers break apart.
        if (img.Closest("a") is null)
        {
            var link = doc.CreateElement("a");
            link.SetAttribute("class", "media-original");
            link.SetAttribute("href", key);
            link.SetAttribute("rel", "noopener noreferrer");
            link.TextContent = labels.Original;
            box.AppendChild(link);
        }
        return box;
    }
}

/// <summary>The words of an image placeholder, in the reader's language.</summary>
public sealed record MediaLabels(string Load, string NotArchived, string Original);
