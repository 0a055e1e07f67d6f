using NewsArchive.Web.Model;

namespace NewsArchive.Web.Search;

/// <summary>The FTS5 expression and SQL filters for a query; OneTerm if it has one term that is not excluded.</summary>
public sealed record IndexPlan(string? Match, string? Exclude, long Min, long Max, ArticleFilter Filter, bool NeedsVerification, bool OneTerm)
{
    public static IndexPlan Of(SearchQuery q, ArticleFilter f)
    {
        var positives = q.Terms.Where(t => !t.Negated)
            .Select(t => Expression(t, expandForms: true)).OfType<string>().ToList();
        var negatives = q.Terms.Where(t => t.Negated && t.IsExactInIndex)
            .Select(t => Expression(t, expandForms: false)).OfType<string>().ToList();
        var verify = q.Terms.Any(NeedsCheck);
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
            foreach (var n in negatives)
            {
                match = "(" + match + ") NOT (" + n + ")";
            }
        }
        var exclude = negatives.Count == 0 ? null : string.Join(" OR ", negatives.Select(n => "(" + n + ")"));
        var (min, max) = f.SortKeyRange;
        return new IndexPlan(match, exclude, min, max, f, verify, q.Terms.Count(t => !t.Negated) == 1);
    }

    /// <summary>A term the index cannot answer exactly: its candidates are checked against the folded text.</summary>
    public static bool NeedsCheck(Term t) => !t.IsExactInIndex || Expression(t, false) is null;

    /// <summary>The FTS5 expression that finds a term: exact for IsExactInIndex, a superset otherwise.</summary>
    public static string? Expression(Term t, bool expandForms)
    {
        if (t.IsWords)
        {
            var words = t.Words;
            if (words.Length == 0)
            {
                return null;
            }
            if (words.Length == 1 && expandForms)
            {
                return "{title_words body_words} : (" + string.Join(" OR ", WordForms.Of(words[0]).Select(Quote)) + ")";
            }
            return "{title_words body_words} : " + Quote(string.Join(' ', words));
        }
        if (!t.IsExactInIndex)
        {
            // A superset: every run must occur somewhere; the folded text decides.
            var pieces = t.Folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(PieceExpression).OfType<string>().ToList();
            return pieces.Count == 0 ? null : string.Join(" AND ", pieces);
        }
        var runs = t.Pieces;
        if (runs.Length == 1)
        {
            return PieceExpression(runs[0]);
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
        return GramsExpression(tokens);
    }

    private static string? PieceExpression(string piece)
    {
        var runes = piece.EnumerateRunes().ToList();
        if (runes.Count == 1)
        {
            return Tokens.IsWordChar(runes[0].Value) ? null : "{title_chars body_chars} : " + Quote(Tokens.UnigramOf(runes[0].Value));
        }
        // Letters and digits may stand alone in the text, where the index has no grams for them.
        return Tokens.HasGrams(piece) ? GramsExpression(Tokens.GramsOf(piece)) : null;
    }

    /// <summary>
    /// A phrase of grams. Only the gram columns hold a pair with a non-ASCII character, so a phrase
    /// with one needs no column filter, which would make FTS5 read every match's positions: the count
    /// of a common pair takes half the time without it (docs/benchmarks.md).
    /// </summary>
    private static string GramsExpression(List<string> grams)
    {
        var phrase = Quote(string.Join(' ', grams));
        return grams.Any(g => Tokens.IsPair(g) && g.Any(ch => ch >= 0x80)) ? phrase : "{title_grams body_grams} : " + phrase;
    }

    public static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}
