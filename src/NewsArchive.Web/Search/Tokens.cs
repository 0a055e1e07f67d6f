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
/// <item>grams: every overlapping pair of characters inside each run of non-space characters,
/// so any substring of two or more characters is a phrase; a gap token ends each run, so a quoted
/// phrase of several runs of two or more characters ("香港 国安") is a phrase too (one with a
/// one-character run is checked against the text: framing every run cost 5% of the index);</item>
/// <item>unigrams: each distinct non-alphanumeric character once, for one-character terms.</item>
/// </list>
/// </summary>
public static class Tokens
{
    public const string Gap = "\u00A6";

    public readonly record struct Streams(string Words, string Grams, string Unigrams);

    public static Streams Tokenize(string folded)
    {
        var words = new StringBuilder();
        var grams = new StringBuilder(folded.Length * 3);
        var unigrams = new HashSet<int>();
        var lastWordEnd = -1;

        var i = 0;
        while (i < folded.Length)
        {
            if (IsSpace(folded[i]))
            {
                i++;
                continue;
            }
            // One run of non-space characters.
            var prev = -1;
            while (i < folded.Length && !IsSpace(folded[i]))
            {
                var rune = Rune.GetRuneAt(folded, i);
                var c = rune.Value;
                if (IsWordChar(c))
                {
                    var wordStart = i;
                    while (i < folded.Length && IsWordChar(folded[i]))
                    {
                        i++;
                    }
                    var singleSpace = lastWordEnd >= 0 && wordStart == lastWordEnd + 1 && folded[lastWordEnd] == ' ';
                    if (lastWordEnd >= 0 && !singleSpace)
                    {
                        words.Append(Gap).Append(' ');
                    }
                    words.Append(folded, wordStart, i - wordStart).Append(' ');
                    lastWordEnd = i;
                    for (var k = wordStart; k < i; k++)
                    {
                        AppendGram(grams, ref prev, folded[k]);
                    }
                    continue;
                }
                unigrams.Add(c);
                AppendGram(grams, ref prev, c);
                i += rune.Utf16SequenceLength;
            }
            grams.Append(Gap).Append(' ');
        }

        var uni = new StringBuilder(unigrams.Count * 3);
        foreach (var c in unigrams)
        {
            AppendTokenChar(uni, c);
            uni.Append(' ');
        }
        return new Streams(words.ToString(), grams.ToString(), uni.ToString());
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

    public static bool IsSpace(char c) => char.IsWhiteSpace(c);

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
