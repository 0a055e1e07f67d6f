using NewsArchive.Web.Model;

namespace NewsArchive.Web.Search;

/// <summary>
/// A query planned against the index once (a request reuses it for its page, total, facets and
/// language counts): the index queries of its groups, and the filter, which <see cref="For"/>
/// changes without planning the groups again. OneTerm if it has one term that is not excluded.
/// </summary>
public sealed record IndexPlan(SearchQuery Query, ArticleFilter Filter, IReadOnlyList<IndexQuery> Positives, IReadOnlyList<IndexQuery> Negatives,
    bool NeedsVerification, bool OneTerm)
{
    public static IndexPlan Of(SearchQuery q, ArticleFilter f)
    {
        var positives = new List<IndexQuery>();
        var negatives = new List<IndexQuery>();
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
                positives.Add(IndexQuery.Any(alternatives!));
            }
            // Otherwise (an alternative that is an exclusion, or one the index has no tokens for)
            // the group narrows nothing here: its candidates are checked against the text.
        }
        var positive = q.Groups.Where(g => g.Any.Any(t => !t.Negated)).ToList();
        return new IndexPlan(q, f, positives, negatives, q.Groups.Any(NeedsCheck), positive.Count == 1 && positive[0].IsSingle);
    }

    /// <summary>The same query under another filter.</summary>
    public IndexPlan For(ArticleFilter f) => this with { Filter = f };

    public long Min => Filter.SortKeyRange.Min;

    public long Max => Filter.SortKeyRange.Max;

    /// <summary>What the index finds: every positive group and the filter's facets, no exclusion; null when nothing positive narrows.</summary>
    public IndexQuery? Match
    {
        get
        {
            var all = new List<IndexQuery>(Positives);
            if (Filter.Language is { } lang)
            {
                all.Add(IndexQuery.Of(IndexColumns.Facets, Facets.LanguageToken(lang)));
            }
            if (Filter.Outlet is { } outlet)
            {
                all.Add(IndexQuery.Of(IndexColumns.Facets, Facets.OutletToken(outlet)));
            }
            return all.Count == 0 ? null : Negatives.Aggregate(IndexQuery.All(all), (m, e) => new IndexQuery.Except(m, e));
        }
    }

    /// <summary>What any exclusion finds (null without one).</summary>
    public IndexQuery? Exclude => Negatives.Count == 0 ? null : IndexQuery.Any(Negatives);

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

    /// <summary>The index query that finds a term: exact for IsExactInIndex, a superset otherwise.</summary>
    public static IndexQuery? Expression(Term t, bool expandForms)
    {
        var title = t.TitleOnly;
        if (t.IsWords)
        {
            var words = t.Words;
            if (words.Length == 0)
            {
                return null;
            }
            var columns = title ? IndexColumns.TitleWords : IndexColumns.Words;
            return words.Length == 1 && expandForms
                ? IndexQuery.Any(WordForms.Of(words[0]).Select(w => IndexQuery.Of(columns, w)).ToList())
                : IndexQuery.Of(columns, words);
        }
        if (!t.IsExactInIndex)
        {
            // A superset: every run must occur somewhere; the folded text decides.
            var pieces = t.Folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(p => PieceExpression(p, title)).OfType<IndexQuery>().ToList();
            return pieces.Count == 0 ? null : IndexQuery.All(pieces);
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
        return IndexQuery.Of(title ? IndexColumns.TitleGrams : IndexColumns.Grams, tokens);
    }

    private static IndexQuery? PieceExpression(string piece, bool title)
    {
        var runes = piece.EnumerateRunes().ToList();
        if (runes.Count == 1)
        {
            return Tokens.IsWordChar(runes[0].Value) ? null
                : IndexQuery.Of(title ? IndexColumns.TitleChars : IndexColumns.Chars, Tokens.UnigramOf(runes[0].Value));
        }
        // Letters and digits may stand alone in the text, where the index has no grams for them.
        return Tokens.HasGrams(piece) ? IndexQuery.Of(title ? IndexColumns.TitleGrams : IndexColumns.Grams, Tokens.GramsOf(piece)) : null;
    }
}
