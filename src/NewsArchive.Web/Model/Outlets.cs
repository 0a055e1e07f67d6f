using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Model;

/// <summary>
/// A news outlet: a stable id (its slug in links, the search index's facet token), its names in
/// each UI script, the hosts it has published from (the first is its home) and the other names
/// files call it by.
/// </summary>
public sealed record Outlet(string Id, string NameHans, string NameHant, string NameEn, IReadOnlyList<string> Hosts, IReadOnlyList<string> Aliases)
{
    public string HomeHost => Hosts.Count > 0 ? Hosts[0] : "";

    /// <summary>The name for a UI language: en → English, zh-Hant → Traditional, anything else → Simplified.</summary>
    public string Name(string uiLanguage) => uiLanguage switch
    {
        Languages.English => NameEn,
        Languages.Traditional => NameHant,
        _ => NameHans,
    };

    /// <summary>An outlet no table knows, named after the registrable domain it publishes from.</summary>
    public static Outlet OfDomain(string domain) => new(domain, domain, domain, domain, [domain], []);
}

/// <summary>One outlet as the shipped table, an operator's file and the Archive:Outlets section write it.</summary>
public sealed class OutletEntry
{
    public string Id { get; set; } = "";
    public string? En { get; set; }
    public string? ZhHans { get; set; }
    public string? ZhHant { get; set; }
    public List<string> Hosts { get; set; } = [];
    public List<string> Aliases { get; set; } = [];
}

/// <summary>The shape of Model/outlets.json and of an Archive:OutletsFile.</summary>
public sealed class OutletFile
{
    /// <summary>Author values that name nobody (unknown, 佚名): neither a byline nor an outlet.</summary>
    public List<string> Placeholders { get; set; } = [];
    public List<OutletEntry> Outlets { get; set; } = [];
}

/// <summary>
/// Which outlet an article is from, and who wrote it (docs/outlets.md): the outlet of its URL's
/// host when a table lists the host or a parent of it; else the outlet the front matter's author
/// names when that is an outlet's name or alias; else an outlet named after the host's registrable
/// domain. An author that is not an outlet's name is the byline. The shipped table
/// (Model/outlets.json) comes first, then Archive:OutletsFile, then Archive:Outlets: a later entry
/// with the same id replaces the names it gives and adds hosts and aliases; a host or alias a later
/// entry lists is that entry's.
/// </summary>
public sealed class OutletTable
{
    // Bumped when the rule itself changes, so existing archives are derived again.
    private const int RuleVersion = 1;

    private static readonly JsonSerializerOptions FileJson = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<string, Outlet> _byId;
    private readonly Dictionary<string, string> _byHost;
    private readonly Dictionary<string, string> _byAlias;
    private readonly HashSet<string> _placeholders;

    private OutletTable(IEnumerable<OutletFile> layers)
    {
        var entries = new Dictionary<string, OutletEntry>(StringComparer.Ordinal);
        var order = new List<string>();
        _byHost = new(StringComparer.Ordinal);
        _byAlias = new(StringComparer.Ordinal);
        _placeholders = new(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            _placeholders.UnionWith(layer.Placeholders.Select(Key));
            foreach (var e in layer.Outlets.Where(e => !string.IsNullOrWhiteSpace(e.Id)))
            {
                var id = e.Id.Trim().ToLowerInvariant();
                if (!entries.TryGetValue(id, out var merged))
                {
                    entries[id] = merged = new OutletEntry { Id = id };
                    order.Add(id);
                }
                merged.En = NonEmpty(e.En) ?? merged.En;
                merged.ZhHans = NonEmpty(e.ZhHans) ?? merged.ZhHans;
                merged.ZhHant = NonEmpty(e.ZhHant) ?? merged.ZhHant;
                merged.Hosts.AddRange(e.Hosts.Select(HostKey).Where(h => h.Length > 0));
                merged.Aliases.AddRange(e.Aliases);
                foreach (var host in e.Hosts.Select(HostKey).Where(h => h.Length > 0))
                {
                    _byHost[host] = id;
                }
                foreach (var name in e.Aliases.Append(e.En).Append(e.ZhHans).Append(e.ZhHant))
                {
                    if (NonEmpty(name) is { } n)
                    {
                        _byAlias[Key(n)] = id;
                    }
                }
            }
        }
        _byId = order.Select(id => entries[id]).Select(e => new Outlet(
                e.Id,
                e.ZhHans ?? e.ZhHant ?? e.En ?? e.Id,
                e.ZhHant ?? e.ZhHans ?? e.En ?? e.Id,
                e.En ?? e.ZhHans ?? e.ZhHant ?? e.Id,
                e.Hosts.Distinct().Where(h => _byHost[h] == e.Id).ToList(),
                e.Aliases.Distinct().Where(a => _byAlias.GetValueOrDefault(Key(a)) == e.Id).ToList()))
            .ToDictionary(o => o.Id, StringComparer.Ordinal);
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(
            new { RuleVersion, Outlets = _byId.Values.OrderBy(o => o.Id, StringComparer.Ordinal), Placeholders = _placeholders.Order(StringComparer.Ordinal) })));
    }

    /// <summary>The table shipped in the build (Model/outlets.json).</summary>
    public static OutletTable Shipped => LazyShipped.Value;

    private static readonly Lazy<OutletTable> LazyShipped = new(() => new OutletTable([ShippedFile()]));

    /// <summary>The shipped table with an operator's file and configured outlets over it.</summary>
    public static OutletTable Load(string? file, IEnumerable<OutletEntry>? configured)
    {
        var layers = new List<OutletFile> { ShippedFile() };
        if (!string.IsNullOrWhiteSpace(file))
        {
            layers.Add(JsonSerializer.Deserialize<OutletFile>(File.ReadAllBytes(file), FileJson)
                ?? throw new InvalidDataException($"{file}: not an outlet table"));
        }
        layers.Add(new OutletFile { Outlets = configured?.ToList() ?? [] });
        return new OutletTable(layers);
    }

    /// <summary>The outlets the tables name.</summary>
    public IReadOnlyCollection<Outlet> All => _byId.Values;

    /// <summary>Changes whenever the outcome of <see cref="Resolve"/> may: the tables or the rule.</summary>
    public string Fingerprint { get; }

    public Outlet? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// The outlet and byline of an article from its URL and the reader's source (the front
    /// matter's author, or the URL's host when it has none: Reader/ArticleReader.SourceName).
    /// </summary>
    public (Outlet Outlet, string? Byline) Resolve(string url, string source)
    {
        var host = HostOf(UrlIdentity.Key(url));
        // The reader names a file without an author after its URL's host (before a capture is unwrapped).
        var author = source.Length == 0 || string.Equals(source, host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(source, HostOf(url), StringComparison.OrdinalIgnoreCase) ? null : source;
        var authorKey = author is null ? null : Key(author);
        var byline = authorKey is null || _placeholders.Contains(authorKey) || _byAlias.ContainsKey(authorKey) ? null : author;
        if (OfHost(host) is { } listed)
        {
            return (listed, byline);
        }
        if (authorKey is not null && _byAlias.TryGetValue(authorKey, out var named))
        {
            return (_byId[named], null);
        }
        var domain = host.Length > 0 ? RegistrableDomain.Of(host) : "unknown";
        return (_byId.GetValueOrDefault(domain) ?? Outlet.OfDomain(domain), byline);
    }

    /// <summary>The outlet that lists this host or the nearest parent of it, down to its registrable domain.</summary>
    private Outlet? OfHost(string host)
    {
        if (host.Length == 0)
        {
            return null;
        }
        var floor = RegistrableDomain.Of(host).Length;
        for (var h = host; ; h = h[(h.IndexOf('.') + 1)..])
        {
            if (_byHost.TryGetValue(h, out var id))
            {
                return _byId[id];
            }
            if (h.Length <= floor || !h.Contains('.'))
            {
                return null;
            }
        }
    }

    /// <summary>The host of a URL (or of a URL key, which has no scheme), lower case without www.</summary>
    private static string HostOf(string url) =>
        Uri.TryCreate(url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url, UriKind.Absolute, out var u) ? HostKey(u.Host) : "";

    private static string HostKey(string host)
    {
        host = host.Trim().TrimEnd('.').ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    // Names compare folded (case, width, Traditional → Simplified) with white space collapsed.
    private static string Key(string name) => string.Join(' ', Folding.Fold(name).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static OutletFile ShippedFile()
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("NewsArchive.Web.Model.outlets.json")!;
        return JsonSerializer.Deserialize<OutletFile>(s, FileJson)!;
    }
}
