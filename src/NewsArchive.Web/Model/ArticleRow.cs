using System.Text.Json;

namespace NewsArchive.Web.Model;

/// <summary>A row of the articles table as the pages and the API read it.</summary>
public sealed class ArticleRow
{
    public long Id { get; init; }
    public string Permalink { get; init; } = "";
    public string Url { get; init; } = "";
    public string Title { get; init; } = "";
    public bool TitleDerived { get; init; }
    public long? Published { get; init; }
    public long SortKey { get; init; }
    public string Source { get; init; } = "";
    public string Outlet { get; init; } = "";
    public string? Byline { get; init; }
    public string Language { get; init; } = "";
    public string Tags { get; init; } = "[]";
    public string Excerpt { get; init; } = "";
    public string? LeadImage { get; init; }
    public string? Text { get; init; }
    public string? Html { get; init; }

    public DateTimeOffset? PublishedAt => Published is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public IReadOnlyList<string> TagList => JsonSerializer.Deserialize<string[]>(Tags) ?? [];
}

/// <summary>Which articles a list shows: all filters are optional and combine.</summary>
public sealed record ArticleFilter(string? Outlet = null, string? Language = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>The sort_key range for the date filters.</summary>
    public (long Min, long Max) SortKeyRange =>
        (From is { } f ? SortKeys.At(f) : long.MinValue,
         To is { } t ? SortKeys.At(t) - 1 : long.MaxValue);
}

/// <summary>
/// The order of the archive: keys of dated articles are seconds &lt;&lt; 4 plus a slot; articles
/// without a date get their id, below every dated key. The search index's rowid is the sort_key.
/// </summary>
public static class SortKeys
{
    public const int SlotBits = 4;
    public const long UnknownDateLimit = 1L << 28;

    /// <summary>The smallest sort_key of a moment.</summary>
    public static long At(DateTimeOffset t) => Math.Max(UnknownDateLimit, t.ToUnixTimeSeconds() << SlotBits);

    /// <summary>The moment of a dated article's sort key, to the second (a busy second's last articles read a few seconds later).</summary>
    public static DateTimeOffset Moment(long sortKey) => DateTimeOffset.FromUnixTimeSeconds(sortKey >> SlotBits);
}
