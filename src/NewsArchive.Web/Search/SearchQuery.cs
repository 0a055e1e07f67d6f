using System.Text;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>One term of a query, folded; Latin terms match whole words, others any substring; a title term only in the title.</summary>
public sealed record Term(string Folded, bool Negated, bool TitleOnly = false)
{
    /// <summary>Only [a-z0-9] and spaces: whole-word (and phrase) semantics; anything else is a substring.</summary>
    public bool IsWords => Folded.All(c => Tokens.IsWordChar(c) || c == ' ');

    public string[] Words => Folded.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// A term the index answers exactly: words, one run of characters, or runs of two or more
    /// characters, each with something besides letters and digits, separated by single spaces.
    /// Others (odd spacing inside quotes, a one-character or Latin-only run among others) take
    /// candidates from the index and are checked against the folded text.
    /// </summary>
    public bool IsExactInIndex => IsWords
        ? string.Join(' ', Words) == Folded
        : Folded.Length > 0 && Pieces.All(p => p.Length > 0 && !p.Any(Tokens.IsSpace))
            && (Pieces.Length == 1 || Pieces.All(Tokens.HasGrams));

    /// <summary>The runs of a substring term, split at single spaces.</summary>
    public string[] Pieces => Folded.Split(' ');

    public override string ToString() => (Negated ? "-" : "") + (TitleOnly ? "title:" : "") + "\"" + Folded + "\"";
}

/// <summary>
/// A query's alternatives: it matches when one of its terms does (a term that is not negated
/// occurs, a negated one does not). A query is the AND of its groups; a group of one term is a
/// plain term or exclusion.
/// </summary>
public sealed record TermGroup(IReadOnlyList<Term> Any)
{
    public bool IsSingle => Any.Count == 1;

    public override string ToString() => string.Join(" | ", Any);
}

/// <summary>
/// A parsed query: space-separated terms are ANDed, <c>-term</c> excludes, <c>"a b"</c> is one term,
/// <c>a OR b</c> (or <c>a | b</c>) matches either and binds tighter than the space, <c>title:</c>
/// narrows a term to the title; <c>source:</c>, <c>lang:</c>, <c>after:</c>, <c>before:</c> and
/// <c>date:</c> are filters. Anything else is literal text: FTS5 syntax never reaches the index
/// unquoted. A query it cannot take has a <see cref="Problem"/> (and <see cref="ProblemDetail"/>, the
/// part at fault), never a silent empty result.
/// </summary>
public sealed class SearchQuery
{
    public const int MaxLength = 1000;
    public const int MaxTerms = 32;

    /// <summary>
    /// Index tokens (grams, words, characters) one term and a whole query may ask for: each is a
    /// posting list FTS5 reads, and a phrase of common pairs reads every one of them in full.
    /// A pasted sentence of about 60 characters fits; 32 one-character terms fit.
    /// </summary>
    public const int MaxTokensPerTerm = 64;
    public const int MaxTokensPerQuery = 128;

    /// <summary>The fields a term may start with; any other <c>name:</c> of letters is an unknown field.</summary>
    public static readonly string[] Fields = ["title", "source", "lang", "after", "before", "date"];

    private SearchQuery(string raw, IReadOnlyList<TermGroup> groups, QueryFields fields, string? problem, string? detail = null)
    {
        Raw = raw;
        Groups = groups;
        Terms = groups.SelectMany(g => g.Any).ToList();
        FieldFilters = fields;
        Problem = problem;
        ProblemDetail = detail;
    }

    public string Raw { get; }

    /// <summary>The groups, ANDed.</summary>
    public IReadOnlyList<TermGroup> Groups { get; }

    /// <summary>Every term of every group.</summary>
    public IReadOnlyList<Term> Terms { get; }

    /// <summary>The filters the query names (source:, lang:, after:, before:, date:).</summary>
    public QueryFields FieldFilters { get; }

    /// <summary>Why the query cannot be searched (a message key), or null.</summary>
    public string? Problem { get; }

    /// <summary>The part of the query the problem is about (a field, a value), or null.</summary>
    public string? ProblemDetail { get; }

    public bool HasPositive => Groups.Any(g => g.Any.Any(t => !t.Negated));

    public static SearchQuery Parse(string? raw)
    {
        raw ??= "";
        if (raw.Length > MaxLength)
        {
            return Refused(raw, "too-long");
        }
        var groups = new List<List<Term>>();
        var fields = new QueryFields();
        var join = false;
        var lastTerm = false;
        foreach (var (token, kind) in Split(raw))
        {
            if (kind == Quoting.Unclosed)
            {
                return Refused(raw, "unbalanced-quote", token);
            }
            if (kind == Quoting.None && token is "OR" or "|")
            {
                if (join || !lastTerm)
                {
                    return Refused(raw, "or-side", token);
                }
                join = true;
                continue;
            }
            // One minus excludes (as the reference reads it: "--a" excludes "-a").
            var neg = token.StartsWith('-');
            var body = neg ? token[1..] : token;
            var (field, value) = FieldOf(body);
            if (field is not null && field != "title")
            {
                if (neg || join)
                {
                    return Refused(raw, "field-alone", field + ":");
                }
                if (!fields.TryAdd(field, value.Trim('"'), out var problem))
                {
                    return Refused(raw, problem, field + ":" + value);
                }
                lastTerm = false;
                continue;
            }
            if (field is null && UnknownField(body) is { } unknown)
            {
                return Refused(raw, "unknown-field", unknown);
            }
            var text = (field is null ? body : value).Trim('"');
            // Inside quotes, any run of whitespace is one space: "a  b" and "a b " are "a b".
            var folded = string.Join(' ', Folding.Fold(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (folded.Length == 0)
            {
                // Nothing to search for (an empty phrase): an OR next to it has no side.
                if (join)
                {
                    return Refused(raw, "or-side", "OR");
                }
                lastTerm = false;
                continue;
            }
            var term = new Term(folded, neg, field == "title");
            if (join)
            {
                groups[^1].Add(term);
            }
            else
            {
                groups.Add([term]);
            }
            join = false;
            lastTerm = true;
        }
        if (join)
        {
            return Refused(raw, "or-side", "OR");
        }
        // A term twice is once; a group is a set, compared in one order.
        var all = groups.Select(g => g.Distinct().OrderBy(t => t.ToString(), StringComparer.Ordinal).ToList())
            .DistinctBy(g => string.Join('\n', g)).Select(g => new TermGroup(g)).ToList();
        var terms = all.SelectMany(g => g.Any).ToList();
        if (terms.Count > MaxTerms)
        {
            return Refused(raw, "too-many-terms");
        }
        var tokens = terms.Select(TokenCount).ToList();
        if (tokens.Any(n => n > MaxTokensPerTerm) || tokens.Sum() > MaxTokensPerQuery)
        {
            return Refused(raw, "too-complex");
        }
        // Filters alone are a search too: every article they keep.
        return new SearchQuery(raw, all, fields, terms.Count == 0 && !fields.Any ? "empty" : null);
    }

    private static SearchQuery Refused(string raw, string problem, string? detail = null) => new(raw, [], new QueryFields(), problem, detail);

    /// <summary>The field of <c>name:value</c> when name is one of <see cref="Fields"/> and a value follows.</summary>
    private static (string? Field, string Value) FieldOf(string token)
    {
        var colon = token.IndexOf(':');
        if (colon <= 0 || colon == token.Length - 1)
        {
            return (null, token);
        }
        var name = token[..colon];
        return Fields.Contains(name) ? (name, token[(colon + 1)..]) : (null, token);
    }

    /// <summary>
    /// <c>name:value</c> with a name of 2 to 16 ASCII letters that is no field, e.g. a misspelt
    /// <c>titel:</c>; a URL (<c>https://…</c>), a time (<c>10:30</c>) or <c>c:d</c> are text.
    /// </summary>
    private static string? UnknownField(string token)
    {
        var colon = token.IndexOf(':');
        return colon is >= 2 and <= 16 && colon < token.Length - 1 && token[colon + 1] != '/'
            && token[..colon].All(char.IsAsciiLetterLower) ? token[..(colon + 1)] : null;
    }

    private enum Quoting
    {
        None,
        Quoted,
        Unclosed,
    }

    /// <summary>
    /// Splits as <c>-?(field:)?"[^"]*"|\S+</c>: a quoted run (optionally negated or in a field) or a
    /// run of non-space; whether it was quoted (so <c>"OR"</c> is a word) or opened a quote that never closes.
    /// </summary>
    private static IEnumerable<(string Token, Quoting Kind)> Split(string q)
    {
        var i = 0;
        while (i < q.Length)
        {
            if (char.IsWhiteSpace(q[i]))
            {
                i++;
                continue;
            }
            var start = i;
            var quote = OpeningQuote(q, i);
            if (quote >= 0)
            {
                var close = q.IndexOf('"', quote + 1);
                if (close < 0)
                {
                    yield return (q[start..], Quoting.Unclosed);
                    yield break;
                }
                i = close + 1;
                yield return (q[start..i], Quoting.Quoted);
                continue;
            }
            while (i < q.Length && !char.IsWhiteSpace(q[i]))
            {
                i++;
            }
            yield return (q[start..i], Quoting.None);
        }
    }

    /// <summary>Where a token starting at i opens a quote (<c>"</c>, <c>-"</c>, <c>title:"</c>, <c>-title:"</c>), or -1.</summary>
    private static int OpeningQuote(string q, int i)
    {
        var j = i < q.Length && q[i] == '-' ? i + 1 : i;
        var colon = j;
        while (colon < q.Length && char.IsAsciiLetterLower(q[colon]))
        {
            colon++;
        }
        if (colon > j && colon + 1 < q.Length && q[colon] == ':' && q[colon + 1] == '"' && Fields.Contains(q[j..colon]))
        {
            return colon + 1;
        }
        return j < q.Length && q[j] == '"' ? j : -1;
    }

    /// <summary>How many index tokens a term's expression holds (a word's forms count as one).</summary>
    private static int TokenCount(Term t) => t.IsWords
        ? t.Words.Length
        : t.Pieces.Sum(p => Tokens.HasGrams(p) ? Tokens.GramsOf(p).Count : 1);

    /// <summary>Whether folded text matches a term exactly as the reference defines it.</summary>
    public static bool Matches(string foldedText, Term t)
    {
        if (!t.IsWords)
        {
            return foldedText.Contains(t.Folded, StringComparison.Ordinal);
        }
        for (var i = foldedText.IndexOf(t.Folded, StringComparison.Ordinal); i >= 0; i = foldedText.IndexOf(t.Folded, i + 1, StringComparison.Ordinal))
        {
            var end = i + t.Folded.Length;
            if ((i == 0 || !Tokens.IsWordChar(foldedText[i - 1])) && (end == foldedText.Length || !Tokens.IsWordChar(foldedText[end])))
            {
                return true;
            }
        }
        return false;
    }

    public override string ToString() => string.Join(' ', Groups) + FieldFilters;
}
