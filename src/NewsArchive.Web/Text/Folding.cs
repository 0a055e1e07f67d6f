using System.Buffers;
using System.Text;

namespace NewsArchive.Web.Text;

/// <summary>
/// The one definition of "the same text" for search: Unicode NFKC (full-width to half-width),
/// case folding, then Traditional to Simplified per character (OpenCC TSCharacters).
/// </summary>
public static class Folding
{
    public static string Fold(string text)
    {
        if (text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') || text.Contains(NotACharacter))
        {
            // Neither lone surrogates nor U+FFFE can be normalized: each becomes U+FFFD (pairs pass
            // through), as UTF-8 decoding makes a lone surrogate.
            text = string.Concat(text.EnumerateRunes().Select(r => r.Value == NotACharacter ? "\uFFFD" : r.ToString()));
        }
        var nfkc = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        // Each character of NFKC text is in NFKC on its own too, so the per-character folds apply as they are.
        var buffer = ArrayPool<char>.Shared.Rent(nfkc.Length);
        try
        {
            var i = 0;
            for (; i < nfkc.Length; i++)
            {
                var folded = OneCharFold[nfkc[i]];
                if (folded == '\0')
                {
                    break;
                }
                buffer[i] = folded;
            }
            if (i == nfkc.Length)
            {
                return new string(buffer, 0, i);
            }
            var sb = new StringBuilder(nfkc.Length + 16).Append(buffer, 0, i);
            foreach (var rune in nfkc.AsSpan(i).EnumerateRunes())
            {
                AppendFold(sb, rune);
            }
            return sb.ToString();
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Folds text one code point at a time and records, for every char of the result, the index
    /// of the source char it came from, so highlights land on the original characters.
    /// </summary>
    public static string FoldWithMap(string text, List<int> sourceIndex)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            for (var k = AppendFold(sb, rune); k > 0; k--)
            {
                sourceIndex.Add(i);
            }
            i += rune.Utf16SequenceLength;
        }
        return sb.ToString();
    }

    // The fold of each BMP character, computed once: a table lookup per character is most of an
    // ingest's folding. Nearly all fold to one char (OneCharFold); the others ('\0' there: NUL,
    // ß, "…", ligatures, surrogates) have their string in LongerFold.
    private static readonly char[] OneCharFold = new char[0x10000];
    private static readonly string?[] LongerFold = BuildBmpFolds();

    private static string?[] BuildBmpFolds()
    {
        var longer = new string?[0x10000];
        for (var c = 0; c < 0x10000; c++)
        {
            if (char.IsSurrogate((char)c))
            {
                continue;
            }
            var folded = FoldRune(new Rune(c));
            if (folded.Length == 1 && folded[0] != '\0')
            {
                OneCharFold[c] = folded[0];
            }
            else
            {
                longer[c] = folded;
            }
        }
        return longer;
    }

    /// <summary>Appends the fold of one code point; returns how many chars it took.</summary>
    private static int AppendFold(StringBuilder sb, Rune rune)
    {
        if (rune.IsBmp && OneCharFold[rune.Value] is var one && one != '\0')
        {
            sb.Append(one);
            return 1;
        }
        var folded = rune.IsBmp ? LongerFold[rune.Value]! : FoldRune(rune);
        sb.Append(folded);
        return folded.Length;
    }

    private const char NotACharacter = '\uFFFE';

    private static string FoldRune(Rune rune)
    {
        if (rune.Value == NotACharacter)
        {
            rune = Rune.ReplacementChar;
        }
        var sb = new StringBuilder(2);
        var s = rune.ToString();
        if (s.IsNormalized(NormalizationForm.FormKC))
        {
            AppendFolded(sb, rune, ChineseScript.Instance);
        }
        else
        {
            foreach (var r in s.Normalize(NormalizationForm.FormKC).EnumerateRunes())
            {
                AppendFolded(sb, r, ChineseScript.Instance);
            }
        }
        return sb.ToString();
    }

    private static void AppendFolded(StringBuilder sb, Rune rune, ChineseScript script)
    {
        if (rune.IsAscii)
        {
            sb.Append(char.ToLowerInvariant((char)rune.Value));
            return;
        }
        if (rune.Value == 'ß' || rune.Value == 'ẞ')
        {
            sb.Append("ss");
            return;
        }
        var lower = Rune.ToLowerInvariant(rune);
        var folded = script.FoldChar(lower.Value);
        if (folded == lower.Value)
        {
            sb.Append(lower.ToString());
        }
        else
        {
            sb.Append(char.ConvertFromUtf32(folded));
        }
    }

    public static bool IsCjk(int codePoint) =>
        codePoint is >= 0x3400 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF
        || codePoint is >= 0x3040 and <= 0x30FF or >= 0xAC00 and <= 0xD7AF;
}
