using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>
/// The article page's marks for the query that found it: every match in the text nodes of HTML
/// fragments (title, body) becomes a numbered &lt;mark id="hit-n"&gt;: the page lists them as anchors
/// (no script) and the navigator in site.js steps through them; nothing is put between the words.
/// </summary>
public static class HitMarks
{
    private static readonly HtmlParser Parser = new();

    /// <summary>The fragments marked; with <paramref name="target"/>, their text converted and the marks on the converted text.</summary>
    public static (string[] Html, int Count) Mark(SearchQuery query, ScriptTarget? target, params string[] fragments)
    {
        var docs = fragments.Select(f => Parser.ParseDocument("<body>" + f)).ToList();
        var found = docs.Select(d => d.Body!.Descendants<IText>()
                .Where(t => t.ParentElement?.LocalName is not ("script" or "style"))
                .Select(t => (Node: t, Shown: Snippets.InScript(t.Data, Snippets.Matches(t.Data, query), target)))
                .ToList())
            .ToList();
        // Every text node in the script, marked or not.
        foreach (var (t, shown) in found.SelectMany(f => f))
        {
            t.Data = shown.Text;
        }
        var n = 0;
        for (var i = 0; i < docs.Count; i++)
        {
            foreach (var (t, (_, ranges)) in found[i])
            {
                var parent = t.Parent!;
                var text = t.Data;
                var pos = 0;
                foreach (var (start, end) in ranges)
                {
                    n++;
                    parent.InsertBefore(docs[i].CreateTextNode(text[pos..start]), t);
                    var mark = docs[i].CreateElement("mark");
                    mark.Id = "hit-" + n;
                    mark.ClassName = "hit";
                    mark.TextContent = text[start..end];
                    parent.InsertBefore(mark, t);
                    pos = end;
                }
                t.Data = text[pos..];
            }
        }
        return (docs.Select(d => d.Body!.InnerHtml).ToArray(), n);
    }
}
