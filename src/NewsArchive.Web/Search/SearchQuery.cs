using System.Text;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>One term of a query, folded; Latin terms match whole words, others any substring.</summary>
public sealed record Term(string Folded, bool Negated)
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
}

/// <summary>
/// A parsed query: space-separated terms are ANDed, <c>-term</c> excludes, <c>"a b"</c> is one term.
/// Anything else is literal text: FTS5 syntax never reaches the index unquoted.
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

    private SearchQuery(string raw, IReadOnlyList<Term> terms, string? problem)
    {
        Raw = raw;
        Terms = terms;
        Problem = problem;
    }

    public string Raw { get; }

    public IReadOnlyList<Term> Terms { get; }

    /// <summary>Why the query cannot be searched (for the user), or null.</summary>
    public string? Problem { get; }

    public bool HasPositive => Terms.Any(t => !t.Negated);

    public static SearchQuery Parse(string? raw)
    {
        raw ??= "";
        if (raw.Length > MaxLength)
        {
            return new SearchQuery(raw, [], "too-long");
        }
        var terms = new List<Term>();
        foreach (var token in Split(raw))
        {
            var neg = token.StartsWith('-');
            var text = token.TrimStart('-').Trim('"');
            if (text.Length == 0)
            {
                continue;
            }
            // Inside quotes, any run of whitespace is one space: "a  b" and "a b " are "a b".
            var folded = string.Join(' ', Folding.Fold(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (folded.Length > 0 && !terms.Any(t => t.Folded == folded && t.Negated == neg))
            {
                terms.Add(new Term(folded, neg));
            }
        }
        if (terms.Count > MaxTerms)
        {
            return new SearchQuery(raw, [], "too-many-terms");
        }
        var tokens = terms.Select(TokenCount).ToList();
        if (tokens.Any(n => n > MaxTokensPerTerm) || tokens.Sum() > MaxTokensPerQuery)
        {
            return new SearchQuery(raw, [], "too-complex");
        }
        return new SearchQuery(raw, terms, terms.Count == 0 ? "empty" : null);
    }

    /// <summary>Splits as <c>-?"[^"]*"|\S+</c>: a quoted run (optionally negated) or a run of non-space.</summary>
    private static IEnumerable<string> Split(string q)
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
            var quote = q[i] == '"' ? i : (q[i] == '-' && i + 1 < q.Length && q[i + 1] == '"' ? i + 1 : -1);
            if (quote >= 0)
            {
                var close = q.IndexOf('"', quote + 1);
                if (close >= 0)
                {
                    i = close + 1;
                    yield return q[start..i];
                    continue;
                }
            }
            while (i < q.Length && !char.IsWhiteSpace(q[i]))
            {
                i++;
            }
            yield return q[start..i];
        }
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

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var t in Terms)
        {
            sb.Append(t.Negated ? "-" : "").Append('"').Append(t.Folded).Append("\" ");
        }
        return sb.ToString().TrimEnd();
    }
}
