using NewsArchive.Web.Model;

namespace NewsArchive.Web.Search;

/// <summary>The FTS5 expression and SQL filters for a query; OneTerm if it has one term that is not excluded.</summary>
public sealed record IndexPlan(string? Match, string? Exclude, long Min, long Max, ArticleFilter Filter, bool NeedsVerification, bool OneTerm)
{
    public static IndexPlan Of(SearchQuery q, ArticleFilter f)
    {
        var positives = new List<string>();
        var negatives = new List<string>();
        foreach (var g in q.Groups)
        {
            if (g.IsSingle && g.Any[0] is { Negated: true } n)
            {
                if (n.IsExactInIndex && Expression(n, expandForms: false) is { } e)
                {
                    negatives.Add(e);
                }
            }
            else if (g.Any.All(t => !t.Negated) && g.Any.Select(t => Expression(t, expandForms: true)).ToList() is var alternatives
                && alternatives.All(a => a is not null))
            {
                positives.Add(alternatives.Count == 1 ? alternatives[0]! : string.Join(" OR ", alternatives.Select(a => "(" + a + ")")));
            }
            // Otherwise (an alternative that is an exclusion, or one the index has no tokens for)
            // the group narrows nothing here: its candidates are checked against the text.
        }
        var verify = q.Groups.Any(NeedsCheck);
        if (f.Language is { } lang)
        {
            positives.Add("facets : " + Facets.LanguageToken(lang));
        }
        if (f.Outlet is { } outlet)
        {
            positives.Add("facets : " + Facets.OutletToken(outlet));
        }
        string? match = null;
        if (positives.Count > 0)
        {
            match = string.Join(" AND ", positives.Select(p => "(" + p + ")"));
            foreach (var e in negatives)
            {
                match = "(" + match + ") NOT (" + e + ")";
            }
        }
        var exclude = negatives.Count == 0 ? null : string.Join(" OR ", negatives.Select(e => "(" + e + ")"));
        var (min, max) = f.SortKeyRange;
        var positive = q.Groups.Where(g => g.Any.Any(t => !t.Negated)).ToList();
        return new IndexPlan(match, exclude, min, max, f, verify, positive.Count == 1 && positive[0].IsSingle);
    }

    /// <summary>
    /// A group the index cannot answer exactly: its candidates are checked against the folded
    /// text. A term is such when the index holds only a superset of its matches; a group of
    /// alternatives when one of them is, or is an exclusion (which no index lookup can OR).
    /// </summary>
    public static bool NeedsCheck(TermGroup g) => g.IsSingle ? NeedsCheck(g.Any[0]) : g.Any.Any(t => t.Negated || NeedsCheck(t));

    private static bool NeedsCheck(Term t) => !t.IsExactInIndex || Expression(t, false) is null;

    /// <summary>Whether a group holds for an article, from its folded title and its folded title and text.</summary>
    public static bool Holds(TermGroup g, string foldedTitle, string foldedWhole) =>
        g.Any.Any(t => SearchQuery.Matches(t.TitleOnly ? foldedTitle : foldedWhole, t) != t.Negated);

    /// <summary>The FTS5 expression that finds a term: exact for IsExactInIndex, a superset otherwise.</summary>
    public static string? Expression(Term t, bool expandForms)
    {
        var title = t.TitleOnly;
        if (t.IsWords)
        {
            var words = t.Words;
            if (words.Length == 0)
            {
                return null;
            }
            var columns = title ? "title_words" : "{title_words body_words}";
            if (words.Length == 1 && expandForms)
            {
                return columns + " : (" + string.Join(" OR ", WordForms.Of(words[0]).Select(Quote)) + ")";
            }
            return columns + " : " + Quote(string.Join(' ', words));
        }
        if (!t.IsExactInIndex)
        {
            // A superset: every run must occur somewhere; the folded text decides.
            var pieces = t.Folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(p => PieceExpression(p, title)).OfType<string>().ToList();
            return pieces.Count == 0 ? null : string.Join(" AND ", pieces);
        }
        var runs = t.Pieces;
        if (runs.Length == 1)
        {
            return PieceExpression(runs[0], title);
        }
        // Several runs: each one's grams, with a gap where the index puts one (Tokens.NeedsGap).
        var tokens = new List<string>();
        for (var i = 0; i < runs.Length; i++)
        {
            if (i > 0 && Tokens.NeedsGap(runs[i - 1].EnumerateRunes().Last().Value, runs[i].EnumerateRunes().First().Value))
            {
                tokens.Add(Tokens.Gap);
            }
            tokens.AddRange(Tokens.GramsOf(runs[i]));
        }
        return GramsExpression(tokens, title);
    }

    private static string? PieceExpression(string piece, bool title)
    {
        var runes = piece.EnumerateRunes().ToList();
        if (runes.Count == 1)
        {
            return Tokens.IsWordChar(runes[0].Value) ? null : (title ? "title_chars" : "{title_chars body_chars}") + " : " + Quote(Tokens.UnigramOf(runes[0].Value));
        }
        // Letters and digits may stand alone in the text, where the index has no grams for them.
        return Tokens.HasGrams(piece) ? GramsExpression(Tokens.GramsOf(piece), title) : null;
    }

    /// <summary>
    /// A phrase of grams. Only the gram columns hold a pair with a non-ASCII character, so a phrase
    /// with one needs no column filter, which would make FTS5 read every match's positions: the count
    /// of a common pair takes half the time without it (docs/benchmarks.md). A title term needs its column.
    /// </summary>
    private static string GramsExpression(List<string> grams, bool title)
    {
        var phrase = Quote(string.Join(' ', grams));
        return title ? "title_grams : " + phrase
            : grams.Any(g => Tokens.IsPair(g) && g.Any(ch => ch >= 0x80)) ? phrase : "{title_grams body_grams} : " + phrase;
    }

    public static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}
