using System.Data.Common;
using System.Collections.Concurrent;
using System.Globalization;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>
/// The counts the list pages show beside the articles (outlets, languages, archive periods): the
/// same for every page of a filter and changed only by an ingest, so they are kept for a while
/// instead of being grouped again on every page view. Periods are years and months in the display
/// time zone, the days /archive/… and the from/to parameters mean.
/// </summary>
public sealed class ArchiveStats(Database db, TimeZoneInfo zone)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, (DateTime At, object Value)> _cache = new();

    public IReadOnlyList<OutletStore.OutletCount> Outlets() =>
        Get("outlets", c => OutletStore.Counts(c));

    /// <summary>The recorded outlets by id, with their names.</summary>
    public IReadOnlyDictionary<string, Outlet> OutletNames() =>
        Get("outlet-names", c => OutletStore.All(c));

    /// <summary>An outlet by id; one without a row yet (the ingest records it with its batch) is named by its id.</summary>
    public Outlet Outlet(string id) => OutletNames().GetValueOrDefault(id) ?? Model.Outlet.OfDomain(id);

    /// <summary>
    /// Whether the archive has articles from this outlet (null, no filter, is fine): an unknown one
    /// is answered as such before it reaches a query or a cache key.
    /// </summary>
    public bool IsOutlet(string? id) => id is null || Outlets().Any(s => s.Outlet == id);

    /// <summary>
    /// The outlet an old ?source=&lt;name&gt; link meant (the name files gave, a person or the
    /// outlet's name, or a host): where most articles read under that name went; null if none.
    /// </summary>
    public string? OutletOfSource(string source) =>
        // No stored name holds a NUL (PostgreSQL's text cannot) or is that long: not worth a query.
        source.Length <= 1000 && !source.Contains('\0')
            && Get("source:" + source, c => OutletStore.OfSource(c, source) ?? "") is { Length: > 0 } id ? id : null;

    /// <summary>
    /// The outlet a query's <c>source:</c> names: its id, any of its names, aliases or hosts, in any
    /// script (compared folded: 臺 and 台, case), else a name files gave (as old links do); null for none.
    /// </summary>
    public string? OutletNamed(string name)
    {
        var folded = Text.Folding.Fold(name.Trim());
        return OutletNames().Values.FirstOrDefault(o => new[] { o.Id, o.NameHans, o.NameHant, o.NameEn }.Concat(o.Aliases).Concat(o.Hosts)
            .Any(n => Text.Folding.Fold(n) == folded))?.Id ?? OutletOfSource(name.Trim());
    }

    public IReadOnlyList<ArticleStore.LanguageCount> Languages(ArticleFilter f) =>
        Get("languages:" + f, c => ArticleStore.Languages(c, f));

    public IReadOnlyList<ArticleStore.PeriodCount> Periods(ArticleFilter f, bool months) =>
        Get($"periods:{months}:{f}", c => LocalPeriods(c, f, months));

    /// <summary>Article counts per day in the display time zone, for the date archive's calendar (a month or a year in the filter).</summary>
    public IReadOnlyDictionary<DateOnly, int> Days(ArticleFilter f) =>
        Get("days:" + f, c => ArticleStore.PublishedTimes(c, f)
            .GroupBy(ms => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).DateTime))
            .ToDictionary(g => g.Key, g => g.Count()));

    /// <summary>The moment a calendar day starts in a time zone.</summary>
    public static DateTimeOffset StartOf(TimeZoneInfo zone, DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The UTC groups name the candidates: an article's local year or month is its UTC one or a
    /// neighbour (offsets are under a day). Each candidate is then counted over its local range.
    /// </summary>
    private List<ArticleStore.PeriodCount> LocalPeriods(DbConnection c, ArticleFilter f, bool months)
    {
        DateOnly Next(DateOnly d, int n) => months ? d.AddMonths(n) : d.AddYears(n);
        var candidates = new SortedSet<DateOnly>();
        foreach (var p in ArticleStore.Periods(c, f, months))
        {
            var start = DateOnly.ParseExact(months ? p.Period + "-01" : p.Period + "-01-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (start.Year is > 1 and < 9999)
            {
                candidates.UnionWith([Next(start, -1), start, Next(start, 1)]);
            }
        }
        var periods = new List<ArticleStore.PeriodCount>();
        foreach (var start in candidates.Reverse())
        {
            var (from, to) = (StartOf(zone, start), StartOf(zone, Next(start, 1)));
            var range = f with { From = f.From > from ? f.From : from, To = f.To < to ? f.To : to };
            if (range.From < range.To && ArticleStore.Count(c, range) is > 0 and var count)
            {
                periods.Add(new ArticleStore.PeriodCount { Period = start.ToString(months ? "yyyy-MM" : "yyyy", CultureInfo.InvariantCulture), Count = count });
            }
        }
        return periods;
    }

    /// <summary>Forgets everything; the ingest service calls it after storing articles.</summary>
    public void Clear() => _cache.Clear();

    private T Get<T>(string key, Func<DbConnection, T> load)
        where T : notnull
    {
        if (_cache.TryGetValue(key, out var hit) && DateTime.UtcNow - hit.At < Lifetime)
        {
            return (T)hit.Value;
        }
        using var c = db.Open();
        var value = load(c);
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }
        _cache[key] = (DateTime.UtcNow, value);
        return value;
    }
}
