using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace NewsArchive.Web.Reader;

/// <summary>What the reader takes from an article's HTML body: plain text, lead image, safe HTML.</summary>
public sealed record HtmlContent(string Text, string? LeadImage, string SafeHtml);

/// <summary>
/// Parses an untrusted body once with AngleSharp, reads its plain text, then sanitizes the same DOM
/// with an allowlist (HtmlSanitizer) so the site serves stored, already-safe HTML.
/// </summary>
public static partial class ArticleHtml
{
    // Elements whose content is not text; the rest is read in document order.
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "svg", "template" };

    // Start tags that separate text, as the search reference (shared/eval/corpus.py) counts them.
    private static readonly HashSet<string> Breaks = new(StringComparer.OrdinalIgnoreCase) { "p", "br", "div", "li", "h1", "h2", "h3", "tr" };

    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    /// <summary>Deeper than this, a body is read as text: the HTML5 tree builder is quadratic in depth.</summary>
    public const int MaxDepth = 1000;

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    };

    public static HtmlContent Process(string html, string baseUrl)
    {
        if (NestingDepth(html) > MaxDepth)
        {
            html = System.Net.WebUtility.HtmlEncode(System.Net.WebUtility.HtmlDecode(TagPattern().Replace(html, " ")));
        }
        var doc = Parser.ParseDocument(html);
        var text = PlainText(doc.Body);
        var lead = LeadImage(doc, baseUrl);
        // Dropped whole, content and all; other disallowed tags give up only the tag and keep their text.
        foreach (var el in doc.QuerySelectorAll("script,style,svg,math,template,iframe,frame,object,embed,noembed,head,base,meta,link,select,textarea"))
        {
            el.Remove();
        }
        foreach (var img in doc.Images.Where(IsTrackingPixel).ToList())
        {
            img.Remove();
        }
        Sanitizer.SanitizeDom(doc, doc.Body, baseUrl);
        return new HtmlContent(text, lead, doc.Body?.InnerHtml ?? "");
    }

    [System.Text.RegularExpressions.GeneratedRegex("<[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex TagPattern();

    /// <summary>An upper bound of the element depth, in one pass: start tags minus end tags, void elements aside.</summary>
    public static int NestingDepth(string html)
    {
        int depth = 0, max = 0;
        for (var i = html.IndexOf('<'); i >= 0 && i < html.Length - 1; i = html.IndexOf('<', i + 1))
        {
            var c = html[i + 1];
            if (c == '/')
            {
                depth = Math.Max(0, depth - 1);
                continue;
            }
            if (!char.IsAsciiLetter(c))
            {
                continue;
            }
            var end = i + 1;
            while (end < html.Length && char.IsAsciiLetterOrDigit(html[end]))
            {
                end++;
            }
            // Bounded look-ahead: a body of '<a<a<a…' without '>' must not make this quadratic.
            var close = html.IndexOf('>', end, Math.Min(1000, html.Length - end));
            if (VoidElements.Contains(html[(i + 1)..end]) || (close > 0 && html[close - 1] == '/'))
            {
                continue;
            }
            max = Math.Max(max, ++depth);
        }
        return max;
    }

    /// <summary>Text of a subtree without recursion: a body may nest 100,000 tags deep.</summary>
    public static string PlainText(INode? root)
    {
        if (root is null)
        {
            return "";
        }
        var sb = new StringBuilder();
        var stack = new Stack<INode>();
        for (var child = root.LastChild; child is not null; child = child.PreviousSibling)
        {
            stack.Push(child);
        }
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is IText t)
            {
                sb.Append(t.Data);
                continue;
            }
            if (node is not IElement e || Hidden.Contains(e.LocalName))
            {
                continue;
            }
            if (Breaks.Contains(e.LocalName))
            {
                sb.Append(' ');
            }
            for (var child = e.LastChild; child is not null; child = child.PreviousSibling)
            {
                stack.Push(child);
            }
        }
        return CollapseSpace(sb.ToString());
    }

    public static string CollapseSpace(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string? LeadImage(IHtmlDocument doc, string baseUrl)
    {
        foreach (var img in doc.Images)
        {
            if (IsTrackingPixel(img) || string.IsNullOrWhiteSpace(img.GetAttribute("src")))
            {
                continue;
            }
            if (Uri.TryCreate(new Uri(baseUrl), img.GetAttribute("src"), out var uri) && (uri.Scheme == "http" || uri.Scheme == "https"))
            {
                return uri.AbsoluteUri;
            }
        }
        return null;
    }

    private static bool IsTrackingPixel(IElement img) =>
        img.GetAttribute("width") is "0" or "1" || img.GetAttribute("height") is "0" or "1";

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var s = new HtmlSanitizer();
        foreach (var tag in new[] { "form", "input", "button", "select", "option", "textarea", "label", "fieldset", "legend", "optgroup", "style", "svg", "math", "iframe", "frame", "object", "embed", "base", "meta", "link" })
        {
            s.AllowedTags.Remove(tag);
        }
        foreach (var attr in new[] { "style", "class", "id", "width", "height", "action", "formaction", "background", "usemap", "tabindex" })
        {
            s.AllowedAttributes.Remove(attr);
        }
        s.AllowedAttributes.Add("loading");
        s.AllowedAttributes.Add("referrerpolicy");
        s.AllowedAttributes.Add("decoding");
        s.AllowedAttributes.Add("rel");
        s.AllowedSchemes.Clear();
        s.AllowedSchemes.Add("http");
        s.AllowedSchemes.Add("https");
        s.AllowedSchemes.Add("mailto");
        s.KeepChildNodes = true;
        s.PostProcessNode += (_, e) =>
        {
            if (e.Node is not IElement el)
            {
                return;
            }
            switch (el.LocalName)
            {
                case "img" when string.IsNullOrEmpty(el.GetAttribute("src")):
                    e.ReplacementNodes.Clear();
                    el.Remove();
                    break;
                case "img":
                    el.SetAttribute("loading", "lazy");
                    el.SetAttribute("decoding", "async");
                    el.SetAttribute("referrerpolicy", "no-referrer");
                    el.SetAttribute("alt", el.GetAttribute("alt") ?? "");
                    break;
                case "a":
                    el.SetAttribute("rel", "noopener noreferrer nofollow");
                    el.RemoveAttribute("target");
                    break;
            }
        };
        return s;
    }
}
