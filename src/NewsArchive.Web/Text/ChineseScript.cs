using System.Text;

namespace NewsArchive.Web.Text;

/// <summary>
/// OpenCC's dictionaries (Apache-2.0, in Text/opencc): character folding for search,
/// phrase-aware script conversion for the script view, and script detection.
/// </summary>
public sealed class ChineseScript
{
    public static ChineseScript Instance { get; } = Load(Path.Combine(AppContext.BaseDirectory, "Text", "opencc"));

    private readonly Dictionary<int, int> _toSimplifiedChar;
    private readonly Dictionary<int, int> _toTraditionalChar;
    // Loaded on first use: only the script view needs them, and an ingest would wait for them.
    private readonly Lazy<PhraseTable> _toSimplified;
    private readonly Lazy<PhraseTable> _toTraditional;
    // OpenCC's s2twp and s2hkp second stages: regional vocabulary, then regional character variants.
    private readonly Lazy<PhraseTable> _taiwan;
    private readonly Lazy<PhraseTable> _hongKong;

    // The same maps for the BMP as flat tables: every character of every ingested article is looked
    // up, and a dictionary lookup per character was a tenth of the parser's time.
    private readonly char[] _bmpToSimplified = new char[0x10000];
    private readonly byte[] _bmpScript = new byte[0x10000];
    private const byte TraditionalOnly = 1;
    private const byte SimplifiedOnly = 2;
    private const byte SimplifiedBeyondBmp = 4;

    private ChineseScript(Dictionary<int, int> t2sChar, Dictionary<int, int> s2tChar, Lazy<PhraseTable> t2s, Lazy<PhraseTable> s2t,
        Lazy<PhraseTable> taiwan, Lazy<PhraseTable> hongKong)
    {
        _taiwan = taiwan;
        _hongKong = hongKong;
        _toSimplifiedChar = t2sChar;
        _toTraditionalChar = s2tChar;
        _toSimplified = t2s;
        _toTraditional = s2t;
        for (var c = 0; c < 0x10000; c++)
        {
            var traditional = t2sChar.TryGetValue(c, out var simplified);
            _bmpToSimplified[c] = traditional && simplified < 0x10000 ? (char)simplified : (char)c;
            _bmpScript[c] = (byte)((traditional ? TraditionalOnly : 0) | (s2tChar.ContainsKey(c) ? SimplifiedOnly : 0)
                | (traditional && simplified >= 0x10000 ? SimplifiedBeyondBmp : 0));
        }
    }

    public static ChineseScript Load(string dir)
    {
        var tsChars = ReadTable(Path.Combine(dir, "TSCharacters.txt"));
        var stChars = ReadTable(Path.Combine(dir, "STCharacters.txt"));
        return new ChineseScript(
            CharMap(ReadTable(Path.Combine(dir, "TSCharacters.txt"), differing: true)), CharMap(stChars),
            new(() => new PhraseTable(ReadTable(Path.Combine(dir, "TSPhrases.txt")).Concat(tsChars))),
            new(() => new PhraseTable(ReadTable(Path.Combine(dir, "STPhrases.txt")).Concat(stChars))),
            new(() => new PhraseTable(Tables(dir, "TWPhrases", "TWVariantsPhrases", "TWVariants"))),
            new(() => new PhraseTable(Tables(dir, "HKPhrases", "HKVariantsPhrases", "HKVariants"))));
    }

    // Earlier tables win a key that several list, as in OpenCC's short-circuit groups.
    private static IEnumerable<(string Key, string Value)> Tables(string dir, params string[] names) =>
        names.SelectMany(n => ReadTable(Path.Combine(dir, n + ".txt")));

    /// <summary>Simplified form of one code point, or the code point itself.</summary>
    public int FoldChar(int codePoint) => codePoint < 0x10000 && (_bmpScript[codePoint] & SimplifiedBeyondBmp) == 0
        ? _bmpToSimplified[codePoint]
        : _toSimplifiedChar.TryGetValue(codePoint, out var s) ? s : codePoint;

    public bool IsTraditionalOnly(int codePoint) => codePoint < 0x10000
        ? (_bmpScript[codePoint] & TraditionalOnly) != 0
        : _toSimplifiedChar.ContainsKey(codePoint);

    public bool IsSimplifiedOnly(int codePoint) => codePoint < 0x10000
        ? (_bmpScript[codePoint] & SimplifiedOnly) != 0
        : _toTraditionalChar.ContainsKey(codePoint);

    public string ToSimplified(string text) => _toSimplified.Value.Convert(text);

    public string ToTraditional(string text) => _toTraditional.Value.Convert(text);

    /// <summary>Traditional with Taiwan vocabulary and variants (OpenCC s2twp): 软件 → 軟體.</summary>
    public string ToTaiwan(string text) => _taiwan.Value.Convert(ToTraditional(text));

    /// <summary>Traditional with Hong Kong vocabulary and variants (OpenCC s2hkp).</summary>
    public string ToHongKong(string text) => _hongKong.Value.Convert(ToTraditional(text));

    /// <summary>
    /// Rows of an OpenCC table: key and its default (first) candidate, or with <paramref name="differing"/>
    /// for a row tagged @tofu-risk (a comment line before it), which lists the key first only because
    /// fonts lack its simplified form, the first candidate that is not the key. Untagged rows that list
    /// the key first (坏 → 坏 坯) are already Simplified: their key is kept.
    /// </summary>
    private static List<(string Key, string Value)> ReadTable(string path, bool differing = false)
    {
        var rows = new List<(string, string)>();
        var tofuRisk = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                tofuRisk = line.StartsWith("# @tofu-risk", StringComparison.Ordinal);
                continue;
            }
            var tab = line.IndexOf('\t');
            if (tab <= 0)
            {
                continue;
            }
            var key = line[..tab];
            var candidates = line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var value = differing && tofuRisk ? candidates.FirstOrDefault(c => c != key) ?? key : candidates.FirstOrDefault() ?? key;
            tofuRisk = false;
            rows.Add((key, value));
        }
        return rows;
    }

    private static Dictionary<int, int> CharMap(List<(string Key, string Value)> rows)
    {
        var map = new Dictionary<int, int>();
        foreach (var (key, value) in rows)
        {
            if (key != value && IsSingleRune(key, out var k) && IsSingleRune(value, out var v))
            {
                map.TryAdd(k, v);
            }
        }
        return map;
    }

    private static bool IsSingleRune(string s, out int codePoint)
    {
        codePoint = 0;
        if (Rune.DecodeFromUtf16(s, out var rune, out var used) != System.Buffers.OperationStatus.Done || used != s.Length)
        {
            return false;
        }
        codePoint = rune.Value;
        return true;
    }

    /// <summary>Longest-match phrase conversion, as OpenCC's maximum forward matching segmenter does.</summary>
    private sealed class PhraseTable
    {
        private readonly Dictionary<string, string> _map = new(StringComparer.Ordinal);
        private readonly int _maxKeyLength;

        public PhraseTable(IEnumerable<(string Key, string Value)> rows)
        {
            foreach (var (key, value) in rows)
            {
                if (_map.TryAdd(key, value))
                {
                    _maxKeyLength = Math.Max(_maxKeyLength, key.Length);
                }
            }
        }

        public string Convert(string text)
        {
            var sb = new StringBuilder(text.Length);
            var i = 0;
            while (i < text.Length)
            {
                var matched = false;
                for (var len = Math.Min(_maxKeyLength, text.Length - i); len > 0; len--)
                {
                    if (_map.TryGetValue(text.Substring(i, len), out var value))
                    {
                        sb.Append(value);
                        i += len;
                        matched = true;
                        break;
                    }
                }
                if (!matched)
                {
                    sb.Append(text[i]);
                    i++;
                }
            }
            return sb.ToString();
        }
    }
}
