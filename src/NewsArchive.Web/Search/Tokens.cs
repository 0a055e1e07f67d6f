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
/// <item>unigrams: each distinct non-alphanumeric character once, for one-character terms, except a
/// character outside the common ones (<see cref="IsCommon"/>) where a pair begins with it.</item>
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
        var present = t_present ??= new CharSet();
        var pairStarts = t_pairStarts ??= new CharSet();
        present.Clear();
        pairStarts.Clear();
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
                        AppendGram(grams, pairStarts, ref prev, folded[w]);
                    }
                    continue;
                }
                present.Add(c);
                if (pairs)
                {
                    AppendGram(grams, pairStarts, ref prev, c);
                }
                k += rune.Utf16SequenceLength;
            }
            previousLast = prev;
        }

        var unigrams = new StringBuilder(present.Count * 3);
        foreach (var c in present)
        {
            if (IsCommon(c) || !pairStarts.Contains(c))
            {
                AppendTokenChar(unigrams, c);
                unigrams.Append(' ');
            }
        }
        return new Streams(words.ToString(), grams.ToString(), unigrams.ToString());
    }

    /// <summary>
    /// Whether a character always has its single-character token. Any other character has one only
    /// where no pair of the same column begins with it, and a search for it also takes the pairs
    /// that begin with it (a prefix query): for the characters outside this list, FTS5 reads few
    /// enough pairs that this stays fast, and it saves a third of the single-character tokens.
    /// </summary>
    public static bool IsCommon(int c) => c < 0x10000 && Common.Contains(c);

    // Search/common-chars.txt, plus the gap and skip tokens, which a prefix query must never meet.
    private static readonly CharSet Common = LoadCommon();

    private static CharSet LoadCommon()
    {
        var set = new CharSet();
        using var stream = typeof(Tokens).Assembly.GetManifestResourceStream("NewsArchive.Web.Search.common-chars.txt")!;
        using var reader = new StreamReader(stream);
        foreach (var line in reader.ReadToEnd().Split('\n').Where(l => !l.StartsWith('#')))
        {
            foreach (var rune in line.EnumerateRunes().Where(r => !Rune.IsWhiteSpace(r)))
            {
                set.Add(rune.Value);
            }
        }
        set.Add(Gap[0]);
        set.Add(Skip[0]);
        return set;
    }

    // The characters of the document being tokenized, and those that begin a pair.
    [ThreadStatic]
    private static CharSet? t_present;

    [ThreadStatic]
    private static CharSet? t_pairStarts;

    /// <summary>A set of code points: a bit each for the BMP, a list beyond; enumerates in the order of first adding.</summary>
    private sealed class CharSet
    {
        private readonly ulong[] _bmp = new ulong[0x10000 / 64];
        private readonly List<int> _added = [];

        public int Count => _added.Count;

        public bool Add(int c)
        {
            if (c >= 0x10000)
            {
                if (_added.Contains(c))
                {
                    return false;
                }
                _added.Add(c);
                return true;
            }
            ref var word = ref _bmp[c >> 6];
            var bit = 1UL << (c & 63);
            if ((word & bit) != 0)
            {
                return false;
            }
            word |= bit;
            _added.Add(c);
            return true;
        }

        public bool Contains(int c) => c < 0x10000 ? (_bmp[c >> 6] & (1UL << (c & 63))) != 0 : _added.Contains(c);

        public void Clear()
        {
            foreach (var c in _added)
            {
                if (c < 0x10000)
                {
                    _bmp[c >> 6] = 0;
                }
            }
            _added.Clear();
        }

        public List<int>.Enumerator GetEnumerator() => _added.GetEnumerator();
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

    private static void AppendGram(StringBuilder grams, CharSet pairStarts, ref int prev, int c)
    {
        if (prev >= 0)
        {
            pairStarts.Add(prev);
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
