using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Site;

/// <summary>An article's sanitized HTML in the other Chinese script: only text nodes are converted.</summary>
public static class ScriptView
{
    private static readonly HtmlParser Parser = new();

    public static string Convert(string html, bool toTraditional)
    {
        var script = ChineseScript.Instance;
        var doc = Parser.ParseDocument("<body>" + html);
        var stack = new Stack<INode>([doc.Body!]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is IText t)
            {
                t.Data = toTraditional ? script.ToTraditional(t.Data) : script.ToSimplified(t.Data);
            }
            foreach (var child in node.ChildNodes)
            {
                stack.Push(child);
            }
        }
        return doc.Body!.InnerHtml;
    }
}
