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
public static class ArticleHtml
{
    // Elements whose content is not text; the rest is read in document order.
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "svg", "template" };

    // Start tags that separate text, as the search reference (shared/eval/corpus.py) counts them.
    private static readonly HashSet<string> Breaks = new(StringComparer.OrdinalIgnoreCase) { "p", "br", "div", "li", "h1", "h2", "h3", "tr" };

    private static readonly HtmlParser Parser = new(new HtmlParserOptions
    {
        IsScripting = false,
        // The DOM never gets deeper than the cap, whatever the scan missed; deeper is then read as text.
        MaximumDepth = MaxDepth + 1,
        // Every token is a chance to abandon a parse that passed its budget.
        OnToken = (_, _) => ParseBudget.Current?.Check(),
    });

    /// <summary>
    /// Deeper than this (html and body included), a body is read as text: the HTML5 tree builder is
    /// quadratic in depth, and stored HTML is parsed again per view (?script=). The deepest dev-corpus
    /// article measures 18 by <see cref="HtmlDepth"/>.
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>More elements than this (formatting elements re-opened after blocks included), a body is read as text.</summary>
    public const int MaxElements = 100_000;

    /// <summary>Longer extracted text is truncated.</summary>
    public const int MaxText = 1_000_000;

    public static HtmlContent Process(string html, string baseUrl, List<string>? notes = null, ParseBudget? budget = null)
    {
        budget ??= new ParseBudget(ParseBudget.Default);
        using var scope = budget.Enter();
        var shape = NestingShape(html, budget);
        var doc = shape.Depth > MaxDepth || shape.Elements > MaxElements ? null : Parser.ParseDocument(html);
        var (text, depth) = doc is null ? ("", 0) : PlainText(doc.Body);
        if (doc is null || depth > MaxDepth)
        {
            notes?.Add(shape.Elements > MaxElements
                ? $"body has more than {MaxElements} elements: read as text"
                : $"body nested deeper than {MaxDepth} elements: read as text");
            doc = Parser.ParseDocument(Flatten(html));
            (text, _) = PlainText(doc.Body);
        }
        if (text.Length > MaxText)
        {
            text = Text.CleanText.Truncate(text, MaxText);
            notes?.Add($"text truncated to {MaxText} characters");
        }
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
        return new HtmlContent(text, lead, Text.CleanText.StripInvalidXml(doc.Body?.InnerHtml ?? ""));
    }

    /// <summary>The depth bound of <see cref="HtmlDepth"/> (html and body included), scanning no further than past the cap.</summary>
    public static int NestingDepth(string html) => NestingShape(html, null).Depth;

    private static HtmlDepth.Shape NestingShape(string html, ParseBudget? budget) => HtmlDepth.Measure(html, MaxDepth, MaxElements, budget);

    /// <summary>The body as text: every '&lt;…&gt;' becomes a space (what <c>&lt;[^&gt;]*&gt;</c> would replace, in one pass).</summary>
    private static string Flatten(string html)
    {
        var sb = new StringBuilder(html.Length);
        var i = 0;
        for (var lt = html.IndexOf('<'); lt >= 0; lt = html.IndexOf('<', i))
        {
            var gt = html.IndexOf('>', lt + 1);
            if (gt < 0)
            {
                break;
            }
            sb.Append(html, i, lt - i).Append(' ');
            i = gt + 1;
        }
        sb.Append(html, i, html.Length - i);
        return System.Net.WebUtility.HtmlEncode(System.Net.WebUtility.HtmlDecode(sb.ToString()));
    }

    /// <summary>Text of a subtree without recursion, and the subtree's depth (the root counting as 1).</summary>
    public static (string Text, int Depth) PlainText(INode? root)
    {
        if (root is null)
        {
            return ("", 0);
        }
        var sb = new StringBuilder();
        var stack = new Stack<(INode Node, int Depth)>();
        var rootDepth = 0;
        for (var n = root as IElement; n is not null; n = n.ParentElement)
        {
            rootDepth++;
        }
        var max = rootDepth;
        for (var child = root.LastChild; child is not null; child = child.PreviousSibling)
        {
            stack.Push((child, rootDepth + 1));
        }
        var budget = ParseBudget.Current;
        for (var steps = 1; stack.Count > 0; steps++)
        {
            if ((steps & 4095) == 0)
            {
                budget?.Check();
            }
            var (node, depth) = stack.Pop();
            if (node is IText t)
            {
                sb.Append(t.Data);
                continue;
            }
            if (node is not IElement e)
            {
                continue;
            }
            max = Math.Max(max, depth);
            if (Hidden.Contains(e.LocalName))
            {
                continue;
            }
            if (Breaks.Contains(e.LocalName))
            {
                sb.Append(' ');
            }
            for (var child = e.LastChild; child is not null; child = child.PreviousSibling)
            {
                stack.Push((child, depth + 1));
            }
        }
        return (CollapseSpace(sb.ToString()), max);
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
        // An explicit short list of what an article needs, not the library's broad default: no name/id
        // (DOM clobbering breaks the page's script), no accesskey, contenteditable, draggable, tabindex,
        // autofocus, popover, inert, form*, style or class. The last four are set by PostProcessNode.
        s.AllowedAttributes.Clear();
        foreach (var attr in new[]
        {
            "href", "src", "alt", "title", "lang", "dir", "cite", "datetime", "colspan", "rowspan", "headers", "scope",
            "abbr", "span", "start", "reversed", "value", "type",
            "loading", "decoding", "referrerpolicy", "rel",
        })
        {
            s.AllowedAttributes.Add(attr);
        }
        s.AllowedSchemes.Clear();
        s.AllowedSchemes.Add("http");
        s.AllowedSchemes.Add("https");
        s.AllowedSchemes.Add("mailto");
        s.KeepChildNodes = true;
        s.PostProcessNode += (_, e) =>
        {
            ParseBudget.Current?.Check();
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
