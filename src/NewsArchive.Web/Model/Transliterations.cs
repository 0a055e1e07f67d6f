using System.Reflection;
using System.Text.Json;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Model;

/// <summary>
/// The regional spellings of names in the news (特朗普/川普, 普京/普丁): each folded spelling is
/// replaced by its group's first, so two outlets' stories of one event share the name's words.
/// Shipped in Model/transliterations.json; Archive:Transliterations adds groups.
/// </summary>
public sealed class Transliterations
{
    // By first character, longest spellings first, so a longer name is replaced before a shorter one inside it.
    private readonly Dictionary<char, (string Variant, string Canonical)[]> _byFirst;

    private Transliterations(IEnumerable<IReadOnlyList<string>> groups)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in groups.Where(g => g.Count > 1))
        {
            var canonical = Folding.Fold(g[0]);
            foreach (var v in g.Skip(1).Select(Folding.Fold).Where(v => v.Length > 0 && v != canonical))
            {
                pairs[v] = canonical;
            }
        }
        _byFirst = pairs.GroupBy(p => p.Key[0]).ToDictionary(g => g.Key,
            g => g.OrderByDescending(p => p.Key.Length).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToArray());
    }

    private sealed class File
    {
        public List<List<string>> Groups { get; set; } = [];
    }

    public static Transliterations Shipped => LazyShipped.Value;

    private static readonly Lazy<Transliterations> LazyShipped = new(() => Load([]));

    /// <summary>The shipped table with an operator's groups added (each group's first spelling is the one counted).</summary>
    public static Transliterations Load(IEnumerable<List<string>> configured)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("NewsArchive.Web.Model.transliterations.json")!;
        var shipped = JsonSerializer.Deserialize<File>(s, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        return new Transliterations(shipped.Groups.Concat(configured));
    }

    /// <summary>Folded text with every listed spelling as its group's first (one pass: the text of every article is read so).</summary>
    public string Canonical(string folded)
    {
        System.Text.StringBuilder? sb = null;
        var copied = 0;
        for (var i = 0; i < folded.Length; i++)
        {
            if (!_byFirst.TryGetValue(folded[i], out var candidates))
            {
                continue;
            }
            foreach (var (variant, canonical) in candidates)
            {
                if (string.CompareOrdinal(folded, i, variant, 0, variant.Length) == 0)
                {
                    sb ??= new System.Text.StringBuilder(folded.Length);
                    sb.Append(folded, copied, i - copied).Append(canonical);
                    copied = i + variant.Length;
                    i = copied - 1;
                    break;
                }
            }
        }
        return sb is null ? folded : sb.Append(folded, copied, folded.Length - copied).ToString();
    }
}
