using System.Text;
using System.Text.RegularExpressions;

namespace NewsArchive.Tests.Fixtures;

/// <summary>
/// A brute-force matcher written from the semantics in shared/eval/README.md and the README's
/// search section, sharing no code with the engine: the oracle for tests that compare the engine
/// with a scan of the texts. Folding: NFKC, case folding, Traditional → Simplified per character
/// from OpenCC's TSCharacters.txt (read here). Terms: space-separated, <c>-</c> excludes,
/// <c>"a b"</c> is one term; a term of only a-z, 0-9 (and spaces) matches whole words, any other a substring.
/// </summary>
public static partial class ReferenceMatcher
{
    private static readonly Lazy<Dictionary<int, string>> TraditionalToSimplified = new(ReadTable);

    public sealed record Term(string Folded, bool Negated);

    public static string Fold(string text)
    {
        // Lone surrogates cannot be normalized; the product stores them as U+FFFD, as does rune enumeration.
        var nfkc = string.Concat(text.EnumerateRunes().Select(r => r.ToString())).Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(nfkc.Length);
        foreach (var rune in nfkc.EnumerateRunes())
        {
            // Case folding: upper then lower maps ς and σ, ſ and s together; ß folds to ss.
            var lower = rune.Value == 'ß' ? "ss" : Rune.ToLowerInvariant(Rune.ToUpperInvariant(rune)).ToString();
            foreach (var r in lower.EnumerateRunes())
            {
                sb.Append(TraditionalToSimplified.Value.TryGetValue(r.Value, out var s) ? s : r.ToString());
            }
        }
        return sb.ToString();
    }

    public static List<Term> Parse(string query) =>
        Tokens().Matches(query)
            .Select(m => (Negated: m.Value.StartsWith('-'), Text: m.Value.TrimStart('-').Trim('"')))
            .Select(t => new Term(string.Join(' ', Fold(t.Text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), t.Negated))
            .Where(t => t.Folded.Length > 0)
            .ToList();

    /// <summary>Whether folded text (see <see cref="Fold"/>) matches every term of the query.</summary>
    public static bool Matches(string foldedText, IReadOnlyList<Term> query) =>
        query.All(t => Contains(foldedText, t.Folded) != t.Negated);

    private static bool Contains(string folded, string term)
    {
        if (!term.All(c => IsWordChar(c) || c == ' '))
        {
            return folded.Contains(term, StringComparison.Ordinal);
        }
        for (var i = folded.IndexOf(term, StringComparison.Ordinal); i >= 0; i = folded.IndexOf(term, i + 1, StringComparison.Ordinal))
        {
            var end = i + term.Length;
            if ((i == 0 || !IsWordChar(folded[i - 1])) && (end == folded.Length || !IsWordChar(folded[end])))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static Dictionary<int, string> ReadTable()
    {
        var table = new Dictionary<int, string>();
        foreach (var line in File.ReadLines(Path.Combine(TestData.RepoRoot, "src", "NewsArchive.Web", "Text", "opencc", "TSCharacters.txt")))
        {
            var parts = line.Split('\t');
            if (line.StartsWith('#') || parts.Length < 2)
            {
                continue;
            }
            // The first of the values is the usual simplified form.
            table[char.ConvertToUtf32(parts[0], 0)] = parts[1].Split(' ')[0];
        }
        return table;
    }

    /// <summary>A quoted run (optionally negated) or a run of non-space characters.</summary>
    [GeneratedRegex("""-?"[^"]*"|\S+""")]
    private static partial Regex Tokens();
}
