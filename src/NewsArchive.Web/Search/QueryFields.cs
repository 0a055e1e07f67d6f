using System.Globalization;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Search;

/// <summary>
/// The filters a query names: <c>source:</c> (an outlet's id, name or alias, resolved by the
/// caller against the archive), <c>lang:</c>, and dates as days of the display time zone:
/// <c>after:P</c> from the first day of P, <c>before:P</c> up to (not including) the first day of
/// P, <c>date:P</c> within P, where P is <c>2024</c>, <c>2024-06</c> or <c>2024-06-19</c>.
/// Each means what the matching URL filter means; several dates narrow each other.
/// </summary>
public sealed class QueryFields
{
    private static readonly DateOnly Earliest = new(1900, 1, 1);
    private static readonly DateOnly Latest = new(2200, 12, 31);

    public string? Source { get; private set; }

    public string? Language { get; private set; }

    /// <summary>The first day included, or null.</summary>
    public DateOnly? From { get; private set; }

    /// <summary>The first day no longer included, or null.</summary>
    public DateOnly? Until { get; private set; }

    public bool Any => Source is not null || Language is not null || From is not null || Until is not null;

    /// <summary>Takes <c>field:value</c>; false with a message key when the value is not one the field takes.</summary>
    public bool TryAdd(string field, string value, out string problem)
    {
        problem = "bad-value";
        switch (field)
        {
            case "source":
                if (Source is not null && Source != value)
                {
                    problem = "field-twice";
                    return false;
                }
                Source = value;
                return true;
            case "lang":
                if (Languages.All.FirstOrDefault(l => l.Equals(value, StringComparison.OrdinalIgnoreCase)) is not { } lang
                    || (Language is not null && Language != lang))
                {
                    problem = Language is null ? "bad-value" : "field-twice";
                    return false;
                }
                Language = lang;
                return true;
        }
        if (Period(value) is not var (first, next))
        {
            return false;
        }
        if (field is "after" or "date")
        {
            From = From is { } f && f > first ? f : first;
        }
        if (field is "before" or "date")
        {
            var until = field == "date" ? next : first;
            Until = Until is { } u && u < until ? u : until;
        }
        return true;
    }

    /// <summary>The days of a year, month or day: its first, and the first after it.</summary>
    private static (DateOnly First, DateOnly Next)? Period(string value)
    {
        var c = CultureInfo.InvariantCulture;
        (DateOnly, DateOnly)? period =
            DateOnly.TryParseExact(value, "yyyy-MM-dd", c, DateTimeStyles.None, out var day) ? (day, day.AddDays(1))
            : DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", c, DateTimeStyles.None, out var month) && value.Length == 7 ? (month, month.AddMonths(1))
            : value.Length == 4 && DateOnly.TryParseExact(value + "-01-01", "yyyy-MM-dd", c, DateTimeStyles.None, out var year) ? (year, year.AddYears(1))
            : null;
        return period is var (first, _) && first >= Earliest && first <= Latest ? period : null;
    }

    /// <summary>
    /// The URL's filter narrowed by these fields: the query's source and language stand for the
    /// URL's, its dates narrow the URL's range. <paramref name="outlet"/> is the outlet source: names.
    /// </summary>
    public ArticleFilter Narrow(ArticleFilter f, TimeZoneInfo zone, string? outlet)
    {
        var from = From is { } a ? ArchiveStats.StartOf(zone, a) : (DateTimeOffset?)null;
        var to = Until is { } b ? ArchiveStats.StartOf(zone, b) : (DateTimeOffset?)null;
        return f with
        {
            Outlet = outlet ?? f.Outlet,
            Language = Language ?? f.Language,
            From = from is { } x && (f.From is null || x > f.From) ? x : f.From,
            To = to is { } y && (f.To is null || y < f.To) ? y : f.To,
        };
    }

    public override string ToString() =>
        string.Concat(new[] { ("source", Source), ("lang", Language), ("from", From?.ToString("O", CultureInfo.InvariantCulture)), ("until", Until?.ToString("O", CultureInfo.InvariantCulture)) }
            .Where(x => x.Item2 is not null).Select(x => $" {x.Item1}:{x.Item2}"));
}
