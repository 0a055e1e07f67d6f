using System.Text;

namespace NewsArchive.Web.Search;

/// <summary>
/// Turns folded text into the token streams of the search index. FTS5 runs with its `ascii`
/// tokenizer, so every token we emit is either a run of ASCII letters and digits (a word) or a
/// run of non-ASCII characters (grams): ASCII punctuation inside a gram is mapped into the
/// private-use area, where the folded text never puts it.
/// <list type="bullet">
/// <item>words: maximal [a-z0-9] runs, for whole-word Latin terms; a gap token wherever two
/// words are separated by anything but one space, so "a b" does not match "a-b";</item>
/// <item>grams: inside each run of non-space characters that is not only letters and digits,
/// every overlapping pair of characters between punctuation marks and symbols, each mark as a
/// token of its own, and the characters next to a mark as tokens of their own (see
/// <see cref="RunGrams"/>), so any substring of two or more characters that is not a Latin word is
/// a phrase. Between two runs, the last token of one and the first of the next are neighbours, so
/// a quoted phrase of several runs ("香港 国安") is a phrase too; a phrase can never bridge two runs
/// by mistake, because a gap token goes between runs wherever the two could read as one
/// (<see cref="NeedsGap"/>), and a skip token stands for each run without pairs. The marker
/// tokens are three characters long, which no other gram is;</item>
/// <item>unigrams: each distinct non-alphanumeric character once, for one-character terms.</item>
/// </list>
/// </summary>
public static class Tokens
{
    public const string Gap = "\u00A6\u00A6\u00A6";

    /// <summary>Stands for a run without pairs (one character, or only letters and digits) in the grams.</summary>
    public const string Skip = "\u00A7\u00A7\u00A7";

    public readonly record struct Streams(string Words, string Grams, string Unigrams);

    public static Streams Tokenize(string folded)
    {
        var words = new StringBuilder();
        var grams = new StringBuilder(folded.Length * 3);
        var unigrams = new StringBuilder();
        var seen = t_seen ??= new ulong[0x10000 / 64];
        Array.Clear(seen);
        List<int>? seenBeyondBmp = null;
        var lastWordEnd = -1;
        var previousLast = -1;

        var i = 0;
        while (i < folded.Length)
        {
            if (IsSpace(folded[i]))
            {
                i++;
                continue;
            }
            // One run of non-space characters; grams only if HasGrams (decided here without a substring).
            var start = i;
            var mixed = false;
            while (i < folded.Length && !IsSpace(folded[i]))
            {
                mixed |= !IsWordChar(folded[i]);
                i++;
            }
            var first = Rune.GetRuneAt(folded, start);
            var pairs = mixed && first.Utf16SequenceLength < i - start;
            if (!pairs)
            {
                grams.Append(Skip).Append(' ');
            }
            else if (NeedsGap(previousLast, first.Value))
            {
                grams.Append(Gap).Append(' ');
            }
            var run = new RunGrams();
            var last = -1;
            for (var k = start; k < i;)
            {
                var rune = Rune.GetRuneAt(folded, k);
                var c = rune.Value;
                if (IsWordChar(c))
                {
                    var wordStart = k;
                    while (k < i && IsWordChar(folded[k]))
                    {
                        k++;
                    }
                    var singleSpace = lastWordEnd >= 0 && wordStart == lastWordEnd + 1 && folded[lastWordEnd] == ' ';
                    if (lastWordEnd >= 0 && !singleSpace)
                    {
                        words.Append(Gap).Append(' ');
                    }
                    words.Append(folded, wordStart, k - wordStart).Append(' ');
                    lastWordEnd = k;
                    for (var w = wordStart; pairs && w < k; w++)
                    {
                        run.Add(grams, folded[w]);
                    }
                    last = folded[k - 1];
                    continue;
                }
                if (c < 0x10000 ? FirstSeen(seen, c) : FirstSeen(seenBeyondBmp ??= [], c))
                {
                    AppendTokenChar(unigrams, c);
                    unigrams.Append(' ');
                }
                if (pairs)
                {
                    run.Add(grams, c);
                }
                last = c;
                k += rune.Utf16SequenceLength;
            }
            previousLast = pairs ? last : -1;
        }

        return new Streams(words.ToString(), grams.ToString(), unigrams.ToString());
    }

    // Which BMP characters a document has had, for its unigrams: a bit each, cleared per document.
    [ThreadStatic]
    private static ulong[]? t_seen;

    /// <summary>Sets the character's bit; true if it was not set.</summary>
    private static bool FirstSeen(ulong[] seen, int c)
    {
        ref var word = ref seen[c >> 6];
        var bit = 1UL << (c & 63);
        if ((word & bit) != 0)
        {
            return false;
        }
        word |= bit;
        return true;
    }

    private static bool FirstSeen(List<int> seen, int c)
    {
        if (seen.Contains(c))
        {
            return false;
        }
        seen.Add(c);
        return true;
    }

    /// <summary>
    /// The gram phrase for a run of characters without spaces, as the run's grams would hold it in
    /// any text it is part of: the tokens a run's edges add only where a mark is, and a mark
    /// inside the piece is one on both sides.
    /// </summary>
    public static List<string> GramsOf(string piece)
    {
        var grams = new StringBuilder();
        var run = new RunGrams();
        foreach (var rune in piece.EnumerateRunes())
        {
            run.Add(grams, rune.Value);
        }
        return grams.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>
    /// Whether a run of characters without spaces has grams in the index (Tokenize's rule): two or
    /// more characters, not only letters and digits (a Latin word alone is found through the words).
    /// </summary>
    public static bool HasGrams(string run) => run.Any(c => !IsWordChar(c)) && run.EnumerateRunes().Skip(1).Any();

    /// <summary>Whether a gram is a pair of characters (not a mark, a character next to one, or a marker token).</summary>
    public static bool IsPair(string gram) => gram.EnumerateRunes().Count() == 2;

    public static string UnigramOf(int codePoint)
    {
        var sb = new StringBuilder(2);
        AppendTokenChar(sb, codePoint);
        return sb.ToString();
    }

    public static bool IsWordChar(int c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    /// <summary>char.IsWhiteSpace, without its table lookup for the CJK characters that are most of the text.</summary>
    public static bool IsSpace(char c) => c <= '\u00FF'
        ? char.IsWhiteSpace(c)
        : c is '\u1680' or (>= '\u2000' and <= '\u200A') or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000';

    /// <summary>
    /// Whether a gap token must separate two runs' grams, so that they cannot be read as the grams
    /// of one run: where the next run begins with the character the last one ended with, or either
    /// side is a mark (a mark's token reads the same at a run's end as inside a run).
    /// </summary>
    public static bool NeedsGap(int previousLast, int first) =>
        previousLast >= 0 && (first == previousLast || IsMark(first) || IsMark(previousLast));

    /// <summary>Punctuation and symbols: they split a run's pairs (see <see cref="RunGrams"/>).</summary>
    public static bool IsMark(int c) => c <= char.MaxValue
        ? (s_bmpMarks[c >> 6] & (1UL << (c & 63))) != 0
        : IsMarkCategory(Rune.GetUnicodeCategory(new Rune(c)));

    // One bit per BMP character: the category lookup is too slow for every character of every article.
    private static readonly ulong[] s_bmpMarks = BuildMarks();

    private static ulong[] BuildMarks()
    {
        var bits = new ulong[0x10000 / 64];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var mark = c < 0x80 ? !IsWordChar(c) : IsMarkCategory(char.GetUnicodeCategory((char)c));
            if (mark)
            {
                bits[c >> 6] |= 1UL << (c & 63);
            }
        }
        return bits;
    }

    private static bool IsMarkCategory(System.Globalization.UnicodeCategory category) => category is
        >= System.Globalization.UnicodeCategory.ConnectorPunctuation and <= System.Globalization.UnicodeCategory.OtherSymbol;

    /// <summary>
    /// The grams of one run: overlapping pairs inside each segment between marks, each mark as a
    /// token of its own, and a segment's first and last characters as tokens of their own where
    /// they touch a mark. So a substring across a mark ("说，我们", "《纽约时报》") is still one
    /// phrase, while the pairs with a mark in them (a tenth of all tokens, and the most varied,
    /// so the costliest to index) are gone.
    /// </summary>
    private struct RunGrams
    {
        private int _prev;
        private int _segmentLength;
        private bool _afterMark;

        public RunGrams()
        {
            _prev = -1;
        }

        public void Add(StringBuilder grams, int c)
        {
            if (IsMark(c))
            {
                // The segment's last character, unless it is a one-character segment that has its token already.
                if (_prev >= 0 && !(_segmentLength == 1 && _afterMark))
                {
                    AppendToken(grams, _prev);
                }
                AppendToken(grams, c);
                _prev = -1;
                _segmentLength = 0;
                _afterMark = true;
                return;
            }
            if (_prev >= 0)
            {
                AppendTokenChar(grams, _prev);
                AppendTokenChar(grams, c);
                grams.Append(' ');
            }
            else if (_afterMark)
            {
                AppendToken(grams, c);
            }
            _prev = c;
            _segmentLength++;
        }

        private static void AppendToken(StringBuilder grams, int c)
        {
            AppendTokenChar(grams, c);
            grams.Append(' ');
        }
    }

    private static void AppendTokenChar(StringBuilder sb, int c)
    {
        if (c < 0x80)
        {
            // Letters and digits stay; other ASCII becomes a private-use character the ascii tokenizer keeps.
            sb.Append(IsWordChar(c) ? (char)c : (char)(0xE000 + c));
        }
        else if (c <= char.MaxValue)
        {
            sb.Append((char)c);
        }
        else
        {
            Span<char> pair = stackalloc char[2];
            sb.Append(pair[..new Rune(c).EncodeToUtf16(pair)]);
        }
    }
}
