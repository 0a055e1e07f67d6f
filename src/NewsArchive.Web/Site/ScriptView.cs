using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using NewsArchive.Web.Model;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Site;

/// <summary>An article's title and sanitized HTML in another Chinese script: only text nodes are converted.</summary>
public static class ScriptView
{
    private static readonly HtmlParser Parser = new();

    /// <summary>
    /// The conversion <c>?script=</c> asks for on an article in this language, and the language it
    /// gives, or null when the article is already in that script: hans (Traditional → Simplified),
    /// hant (Simplified → Traditional), hant-tw and hant-hk (with Taiwan or Hong Kong vocabulary, 软件 → 軟體).
    /// </summary>
    public static (Func<string, string> Convert, string Language)? For(string? script, string language)
    {
        var s = ChineseScript.Instance;
        return (script, language) switch
        {
            ("hans", Languages.Traditional) => (s.ToSimplified, Languages.Simplified),
            ("hant", Languages.Simplified) => (s.ToTraditional, Languages.Traditional),
            ("hant-tw", Languages.Simplified) => (s.ToTaiwan, "zh-Hant-TW"),
            ("hant-hk", Languages.Simplified) => (s.ToHongKong, "zh-Hant-HK"),
            _ => null,
        };
    }

    public static string Convert(string html, Func<string, string> convert)
    {
        var doc = Parser.ParseDocument("<body>" + html);
        var stack = new Stack<INode>([doc.Body!]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is IText t)
            {
                t.Data = convert(t.Data);
            }
            foreach (var child in node.ChildNodes)
            {
                stack.Push(child);
            }
        }
        return doc.Body!.InnerHtml;
    }
}
