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
/// <item>grams: every overlapping pair of characters inside each run of non-space characters
/// that is not only letters and digits, so any substring of two or more characters that is not a
/// Latin word is a phrase. Between two runs, the last pair of one and the first of the next are
/// neighbours, so a quoted phrase of several runs ("香港 国安") is a phrase too; a phrase can never
/// bridge two runs by mistake, because a gap token goes between runs where the first ends with the
/// character the next begins with (pairs inside a run share that character), and a skip token
/// stands for each run without pairs. Latin words without other characters in their run, and the
/// end-of-run tokens everywhere else, were 6% of the index;</item>
/// <item>unigrams: each distinct non-alphanumeric character once, for one-character terms.</item>
/// </list>
/// </summary>
public static class Tokens
{
    public const string Gap = "\u00A6";

    /// <summary>Stands for a run without pairs (one character, or only letters and digits) in the grams.</summary>
    public const string Skip = "\u00A7";

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
            // One run of non-space characters. Pairs only if it holds anything but letters and
            // digits: a Latin word on its own is found through the words.
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
            else if (first.Value == previousLast)
            {
                grams.Append(Gap).Append(' ');
            }
            var prev = -1;
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
                        AppendGram(grams, ref prev, folded[w]);
                    }
                    continue;
                }
                if (c < 0x10000 ? Mark(seen, c) : Mark(seenBeyondBmp ??= [], c))
                {
                    AppendTokenChar(unigrams, c);
                    unigrams.Append(' ');
                }
                if (pairs)
                {
                    AppendGram(grams, ref prev, c);
                }
                k += rune.Utf16SequenceLength;
            }
            previousLast = prev;
        }

        return new Streams(words.ToString(), grams.ToString(), unigrams.ToString());
    }

    // Which BMP characters a document has had, for its unigrams: a bit each, cleared per document.
    [ThreadStatic]
    private static ulong[]? t_seen;

    /// <summary>Sets the character's bit; true if it was not set.</summary>
    private static bool Mark(ulong[] seen, int c)
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

    private static bool Mark(List<int> seen, int c)
    {
        if (seen.Contains(c))
        {
            return false;
        }
        seen.Add(c);
        return true;
    }

    /// <summary>The gram phrase for a run of characters without spaces: its overlapping pairs.</summary>
    public static List<string> GramsOf(string piece)
    {
        var runes = piece.EnumerateRunes().Select(r => r.Value).ToList();
        var list = new List<string>(runes.Count);
        for (var k = 1; k < runes.Count; k++)
        {
            var sb = new StringBuilder(4);
            AppendTokenChar(sb, runes[k - 1]);
            AppendTokenChar(sb, runes[k]);
            list.Add(sb.ToString());
        }
        return list;
    }

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

    private static void AppendGram(StringBuilder grams, ref int prev, int c)
    {
        if (prev >= 0)
        {
            AppendTokenChar(grams, prev);
            AppendTokenChar(grams, c);
            grams.Append(' ');
        }
        prev = c;
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
