using System.Collections.Concurrent;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>
/// The counts the list pages show beside the articles (sources, languages, archive periods): the
/// same for every page of a filter and changed only by an ingest, so they are kept for a while
/// instead of being grouped again on every page view.
/// </summary>
public sealed class ArchiveStats(Database db)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, (DateTime At, object Value)> _cache = new();

    public IReadOnlyList<ArticleStore.SourceCount> Sources() =>
        Get("sources", c => ArticleStore.Sources(c));

    /// <summary>
    /// Whether the archive has this source (null, no filter, is fine): an unknown one is answered
    /// as such before it reaches a query or a cache key.
    /// </summary>
    public bool IsSource(string? source) => source is null || Sources().Any(s => s.Source == source);

    public IReadOnlyList<ArticleStore.LanguageCount> Languages(ArticleFilter f) =>
        Get("languages:" + f, c => ArticleStore.Languages(c, f));

    public IReadOnlyList<ArticleStore.PeriodCount> Periods(ArticleFilter f, bool months) =>
        Get($"periods:{months}:{f}", c => ArticleStore.Periods(c, f, months));

    /// <summary>Forgets everything; the ingest service calls it after storing articles.</summary>
    public void Clear() => _cache.Clear();

    private T Get<T>(string key, Func<Microsoft.Data.Sqlite.SqliteConnection, T> load)
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
