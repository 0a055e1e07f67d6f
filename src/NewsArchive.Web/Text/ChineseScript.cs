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

    public string ToSimplified(string text) => Convert(text, ScriptTarget.Simplified);

    public string ToTraditional(string text) => Convert(text, ScriptTarget.Traditional);

    /// <summary>Traditional with Taiwan vocabulary and variants (OpenCC s2twp): 软件 → 軟體.</summary>
    public string ToTaiwan(string text) => Convert(text, ScriptTarget.Taiwan);

    /// <summary>Traditional with Hong Kong vocabulary and variants (OpenCC s2hkp).</summary>
    public string ToHongKong(string text) => Convert(text, ScriptTarget.HongKong);

    /// <summary>
    /// The text in another script; with <paramref name="map"/>, also where each input character's
    /// phrase went, since a phrase can change length.
    /// </summary>
    public string Convert(string text, ScriptTarget target, OffsetMap? map = null)
    {
        if (target == ScriptTarget.Simplified)
        {
            return _toSimplified.Value.Convert(text, map);
        }
        var first = map is null ? null : new OffsetMap();
        var traditional = _toTraditional.Value.Convert(text, first);
        if (target == ScriptTarget.Traditional)
        {
            map?.CopyFrom(first!);
            return traditional;
        }
        var second = map is null ? null : new OffsetMap();
        var regional = (target == ScriptTarget.Taiwan ? _taiwan : _hongKong).Value.Convert(traditional, second);
        map?.Compose(first!, second!);
        return regional;
    }

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
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        // The longest key starting with each UTF-16 unit (0: none): most characters start only
        // one-character keys, so a position costs one lookup, not one per key length, and no substring.
        private readonly byte[] _longestFrom = new byte[char.MaxValue + 1];

        public PhraseTable(IEnumerable<(string Key, string Value)> rows)
        {
            foreach (var (key, value) in rows)
            {
                if (key.Length > 0 && _map.TryAdd(key, value))
                {
                    _longestFrom[key[0]] = (byte)Math.Max(_longestFrom[key[0]], Math.Min(key.Length, byte.MaxValue));
                }
            }
            _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public string Convert(string text, OffsetMap? map)
        {
            map?.Clear();
            var sb = new StringBuilder(text.Length);
            var i = 0;
            while (i < text.Length)
            {
                var matched = false;
                for (var len = Math.Min(_longestFrom[text[i]], text.Length - i); len > 0; len--)
                {
                    if (_lookup.TryGetValue(text.AsSpan(i, len), out var value))
                    {
                        map?.Add(len, sb.Length, value.Length);
                        sb.Append(value);
                        i += len;
                        matched = true;
                        break;
                    }
                }
                if (!matched)
                {
                    map?.Add(1, sb.Length, 1);
                    sb.Append(text[i]);
                    i++;
                }
            }
            return sb.ToString();
        }
    }
}

public enum ScriptTarget
{
    Simplified,
    Traditional,
    Taiwan,
    HongKong,
}

/// <summary>
/// Where a conversion put each input character: the output range of the phrase it was part of,
/// so a range of the input (a search match) maps to whole converted phrases.
/// </summary>
public sealed class OffsetMap
{
    private readonly List<int> _start = [];
    private readonly List<int> _end = [];

    /// <summary>The output range of the input range [start, end).</summary>
    public (int Start, int End) Map(int start, int end) => _start.Count == 0
        ? (start, end)
        : (_start[Math.Min(start, _start.Count - 1)], _end[Math.Clamp(end - 1, 0, _end.Count - 1)]);

    internal void Clear()
    {
        _start.Clear();
        _end.Clear();
    }

    /// <summary>
    /// A phrase of the input and what it became: character by character when the lengths agree
    /// (軟件開發人員 → 軟體開發人員), else each of its characters to the whole output phrase.
    /// </summary>
    internal void Add(int inputLength, int outputStart, int outputLength)
    {
        for (var k = 0; k < inputLength; k++)
        {
            var same = inputLength == outputLength;
            _start.Add(same ? outputStart + k : outputStart);
            _end.Add(same ? outputStart + k + 1 : outputStart + outputLength);
        }
    }

    internal void CopyFrom(OffsetMap other)
    {
        Clear();
        _start.AddRange(other._start);
        _end.AddRange(other._end);
    }

    /// <summary>This map as the first conversion followed by the second.</summary>
    internal void Compose(OffsetMap first, OffsetMap second)
    {
        Clear();
        for (var i = 0; i < first._start.Count; i++)
        {
            _start.Add(second.Map(first._start[i], first._start[i] + 1).Start);
            _end.Add(second.Map(first._end[i] - 1, first._end[i]).End);
        }
    }
}
