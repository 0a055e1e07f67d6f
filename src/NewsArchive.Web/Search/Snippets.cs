using System.Net;
using System.Text;
using NewsArchive.Web.Model;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>
/// Highlighted text around matches. Matching runs on the folded text, and a map from folded to
/// original positions puts the &lt;mark&gt; on the original characters: a query typed in
/// Traditional highlights the Simplified text it found, and the other way round.
/// </summary>
public static class Snippets
{
    /// <summary>The length of a result's snippet.</summary>
    public const int Chars = 160;

    /// <summary>
    /// The text around its first match, the matches marked; with <paramref name="target"/>, the
    /// window is converted to that script and the marks cover the converted phrases the matches
    /// became (a phrase can change length: 软件 → 軟體).
    /// </summary>
    public static string Highlight(string text, SearchQuery query, int maxChars = int.MaxValue, ScriptTarget? target = null) =>
        Marked(text, Matches(text, query), maxChars, target);

    /// <summary>
    /// A result's body snippet: around its first match in the body; without one (the title matched),
    /// the article's excerpt, which starts at its news rather than at a feed's timestamp.
    /// </summary>
    public static string Body(ArticleRow a, SearchQuery query, ScriptTarget? target = null)
    {
        var text = a.Text ?? "";
        var ranges = Matches(text, query);
        return ranges.Count > 0 ? Marked(text, ranges, Chars, target) : Marked(a.Excerpt, [], int.MaxValue, target);
    }

    private static string Marked(string text, List<(int Start, int End)> ranges, int maxChars, ScriptTarget? target)
    {
        var (from, to) = Window(text, ranges, maxChars);
        var (shown, marks) = InScript(text[from..to], ranges
            .Where(r => r.End > from && r.Start < to)
            .Select(r => (Math.Max(r.Start, from) - from, Math.Min(r.End, to) - from)), target);
        var sb = new StringBuilder();
        if (from > 0)
        {
            sb.Append('…');
        }
        var pos = 0;
        foreach (var (start, end) in marks)
        {
            sb.Append(WebUtility.HtmlEncode(shown[pos..start])).Append("<mark>").Append(WebUtility.HtmlEncode(shown[start..end])).Append("</mark>");
            pos = end;
        }
        sb.Append(WebUtility.HtmlEncode(shown[pos..]));
        if (to < text.Length)
        {
            sb.Append('…');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Text in a script (or as it is, without a target) and ranges of the original text moved onto
    /// it, merged where they overlap (terms can overlap, 台湾 and 湾, and so can converted phrases).
    /// </summary>
    public static (string Text, List<(int Start, int End)> Ranges) InScript(string text, IEnumerable<(int Start, int End)> ranges, ScriptTarget? target)
    {
        var map = target is null ? null : new OffsetMap();
        var shown = target is { } t ? ChineseScript.Instance.Convert(text, t, map) : text;
        var merged = new List<(int Start, int End)>();
        foreach (var r in ranges.Select(r => map?.Map(r.Start, r.End) ?? r).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start < merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.End));
            }
            else
            {
                merged.Add(r);
            }
        }
        return (shown, merged);
    }

    /// <summary>Where the query's positive terms match in the original text, in order, as search folds them.</summary>
    public static List<(int Start, int End)> Matches(string text, SearchQuery query)
    {
        var map = new List<int>(text.Length);
        var folded = Folding.FoldWithMap(text, map);
        return MatchRanges(folded, query)
            .Select(r => (Start: map[r.Start], End: r.End < map.Count ? map[r.End] : text.Length))
            .Where(r => r.End > r.Start)
            .OrderBy(r => r.Start)
            .ToList();
    }

    /// <summary>A window of about maxChars that starts a little before the first match.</summary>
    private static (int From, int To) Window(string text, List<(int Start, int End)> ranges, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return (0, text.Length);
        }
        var from = ranges.Count == 0 ? 0 : Math.Max(0, ranges[0].Start - (maxChars / 4));
        var to = Math.Min(text.Length, from + maxChars);
        from = Math.Max(0, Math.Min(from, to - maxChars));
        if (from > 0 && char.IsLowSurrogate(text[from]))
        {
            from++;
        }
        if (to < text.Length && char.IsLowSurrogate(text[to]))
        {
            to++;
        }
        return (from, to);
    }

    private static IEnumerable<(int Start, int End)> MatchRanges(string folded, SearchQuery query)
    {
        foreach (var t in query.Terms.Where(t => !t.Negated))
        {
            var needles = t.IsWords && t.Words.Length == 1 ? WordForms.Of(t.Words[0]) : [t.Folded];
            foreach (var needle in needles)
            {
                for (var i = folded.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = folded.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
                {
                    var end = i + needle.Length;
                    if (t.IsWords && ((i > 0 && Tokens.IsWordChar(folded[i - 1])) || (end < folded.Length && Tokens.IsWordChar(folded[end]))))
                    {
                        continue;
                    }
                    yield return (i, end);
                }
            }
        }
    }
}
