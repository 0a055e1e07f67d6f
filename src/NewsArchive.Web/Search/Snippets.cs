using System.Net;
using System.Text;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>
/// Highlighted text around matches. Matching runs on the folded text, and a map from folded to
/// original positions puts the &lt;mark&gt; on the original characters: a query typed in
/// Traditional highlights the Simplified text it found, and the other way round.
/// </summary>
public static class Snippets
{
    public static string Highlight(string text, SearchQuery query, int maxChars = int.MaxValue)
    {
        var ranges = Matches(text, query);

        var (from, to) = Window(text, ranges, maxChars);
        var sb = new StringBuilder();
        if (from > 0)
        {
            sb.Append('…');
        }
        var pos = from;
        foreach (var (start, end) in ranges)
        {
            if (end <= pos || start >= to)
            {
                continue;
            }
            var s = Math.Max(start, pos);
            var e = Math.Min(end, to);
            sb.Append(WebUtility.HtmlEncode(text[pos..s])).Append("<mark>").Append(WebUtility.HtmlEncode(text[s..e])).Append("</mark>");
            pos = e;
        }
        sb.Append(WebUtility.HtmlEncode(text[pos..to]));
        if (to < text.Length)
        {
            sb.Append('…');
        }
        return sb.ToString();
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
