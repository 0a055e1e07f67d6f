using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

public enum TrendUnit
{
    Day,
    Week,
    Month,
}

/// <summary>
/// The periods of a timeline: days, weeks (from Monday) or months in the display time zone, cut to
/// the chosen days, on the same day boundaries as the from/to filters, so a period's count for a
/// query is the total of that query's search from the period's first day to its last.
/// </summary>
public sealed class TrendPeriods
{
    /// <summary>A chart of more periods than this is not readable (by=day over decades).</summary>
    public const int MaxPeriods = 1000;

    private readonly long[] _bounds;

    public TrendPeriods(TimeZoneInfo zone, DateOnly from, DateOnly to, TrendUnit unit)
    {
        Unit = unit;
        var starts = new List<DateOnly> { from };
        for (var s = Next(First(from)); s <= to && starts.Count <= MaxPeriods; s = Next(s))
        {
            starts.Add(s);
        }
        Starts = starts;
        Last = to;
        _bounds = [.. starts.Append(to.AddDays(1)).Select(d => SortKeys.At(ArchiveStats.StartOf(zone, d)))];
    }

    public TrendUnit Unit { get; }

    /// <summary>Each period's first day (the first one is the range's first day).</summary>
    public IReadOnlyList<DateOnly> Starts { get; }

    public DateOnly Last { get; }

    public int Count => Starts.Count;

    /// <summary>Days up to 90: days; up to two years: weeks; longer: months.</summary>
    public static TrendUnit UnitFor(DateOnly from, DateOnly to) => (to.DayNumber - from.DayNumber + 1) switch
    {
        <= 90 => TrendUnit.Day,
        <= 731 => TrendUnit.Week,
        _ => TrendUnit.Month,
    };

    /// <summary>The period of a sort_key, or null outside the range (or undated).</summary>
    public int? Of(long sortKey)
    {
        if (sortKey < _bounds[0] || sortKey >= _bounds[^1])
        {
            return null;
        }
        var i = Array.BinarySearch(_bounds, sortKey);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>A period's first and last day, as the from and to parameters of a search.</summary>
    public (DateOnly From, DateOnly To) Days(int i) => (Starts[i], i + 1 < Count ? Starts[i + 1].AddDays(-1) : Last);

    /// <summary>The period in the CSV: 2020-06 for a month, its first day otherwise.</summary>
    public string Key(int i) => Starts[i].ToString(Unit == TrendUnit.Month ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>As people write it: June 2020 / 2020年6月; a week by its first day ("week of …" unless on an axis).</summary>
    public string Label(int i, IStringLocalizer l, bool axis = false)
    {
        var day = Starts[i].ToDateTime(TimeOnly.MinValue);
        var label = day.ToString(Unit == TrendUnit.Month ? "Y" : l["Trends.DayFormat"], Display.Culture);
        return Unit == TrendUnit.Week && !axis ? string.Format(Display.Culture, l["Trends.WeekOf"], label) : label;
    }

    private DateOnly First(DateOnly d) => Unit switch
    {
        TrendUnit.Month => new DateOnly(d.Year, d.Month, 1),
        TrendUnit.Week => d.AddDays(-(((int)d.DayOfWeek + 6) % 7)),
        _ => d,
    };

    private DateOnly Next(DateOnly s) => Unit switch
    {
        TrendUnit.Month => s.AddMonths(1),
        TrendUnit.Week => s.AddDays(7),
        _ => s.AddDays(1),
    };
}

/// <summary>Why a timeline cannot be drawn: a message key for the page, plain English for the CSV, a status.</summary>
public sealed record TrendsProblem(string Key, string Detail, string English, int Status = StatusCodes.Status400BadRequest);

/// <summary>One query of a timeline: its counts per period, in all and per outlet (largest first).</summary>
public sealed record TrendSeries(string Query, long[] Totals, IReadOnlyList<(string Outlet, long[] Counts)> Outlets, int ExactFromPeriod)
{
    /// <summary>Whether a period's counts are lower bounds (the text check stopped at its limit before it).</summary>
    public bool IsLowerBound(int period) => period < ExactFromPeriod;

    /// <summary>A stacked chart's series: the largest <paramref name="top"/> outlets by name, the rest as "other" (null outlet).</summary>
    public IReadOnlyList<(string Name, string? Outlet, long[] Counts)> Stacked(int top, Display d, IStringLocalizer l)
    {
        var shown = Outlets.Take(top).Select(o => (d.Outlet(o.Outlet), (string?)o.Outlet, o.Counts)).ToList();
        if (Outlets.Count > top)
        {
            var rest = Outlets.Skip(top).ToList();
            shown.Add((l["Trends.Other"], null, Enumerable.Range(0, Totals.Length).Select(i => rest.Sum(o => o.Counts[i])).ToArray()));
        }
        return shown;
    }
}

/// <summary>
/// /trends and /trends.csv: up to <see cref="MaxQueries"/> queries (<c>q</c>, each in the full
/// query language) over one range (<c>from</c>, <c>to</c>, else the archive's months) and the
/// filters <c>source</c> and <c>language</c>, counted per period (<c>by</c>=day|week|month, else
/// chosen by the range's length) and per outlet, each from one pass over the query's matches.
/// </summary>
public sealed class Trends(SearchEngine engine, ArchiveStats stats, TimeZoneInfo zone)
{
    public const int MaxQueries = 5;

    /// <summary>The query keys both endpoints read (their output cache policies name them).</summary>
    public static readonly string[] QueryKeys = ["q", "source", "language", "from", "to", "by"];

    public sealed record Request(IReadOnlyList<(string Raw, SearchQuery Query, ArticleFilter Filter)> Queries, ArticleFilter Filter, TrendPeriods Periods);

    public Request? Read(HttpRequest req, out TrendsProblem? problem)
    {
        problem = null;
        // In one order whatever the URL's: the output cache keys q=a&q=b and q=b&q=a as one entry.
        var raws = req.Query["q"].Select(q => (q ?? "").Trim()).Where(q => q.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        if (raws.Count > MaxQueries)
        {
            problem = new("Trends.TooMany", Display.Number(MaxQueries), $"at most {MaxQueries} queries (q) at once");
            return null;
        }
        if (!RequestParameters.TryReadFilter(req, zone, out var filter, out var error, "language"))
        {
            problem = new("Trends.BadParameters", "", error);
            return null;
        }
        if (!stats.IsOutlet(filter.Outlet))
        {
            problem = new("Trends.UnknownSource", filter.Outlet!, $"source={filter.Outlet} names no source of this archive", StatusCodes.Status404NotFound);
            return null;
        }
        var unit = req.Query["by"].FirstOrDefault() switch
        {
            null or "" => (TrendUnit?)null,
            "day" => TrendUnit.Day,
            "week" => TrendUnit.Week,
            "month" => TrendUnit.Month,
            _ => (TrendUnit)(-1),
        };
        if (unit is (TrendUnit)(-1))
        {
            problem = new("Trends.BadParameters", "", "by must be day, week or month");
            return null;
        }
        var (from, to) = Range(req);
        if (from > to)
        {
            problem = new("Trends.BadRange", "", "from is after to");
            return null;
        }
        var periods = new TrendPeriods(zone, from, to, unit ?? TrendPeriods.UnitFor(from, to));
        if (periods.Count > TrendPeriods.MaxPeriods)
        {
            problem = new("Trends.TooManyPeriods", Display.Number(TrendPeriods.MaxPeriods),
                $"more than {TrendPeriods.MaxPeriods} periods; choose a longer period (by) or a shorter range");
            return null;
        }
        // The range is a filter of every query too, so each period is exactly its search's range.
        filter = filter with { From = ArchiveStats.StartOf(zone, from), To = ArchiveStats.StartOf(zone, to.AddDays(1)) };
        var queries = new List<(string, SearchQuery, ArticleFilter)>();
        foreach (var raw in raws)
        {
            var q = SearchQuery.Parse(raw);
            if (q.Problem is { } refused)
            {
                problem = new("Search.Problem." + refused, q.ProblemDetail ?? "", $"{raw}: {SearchProblems.English(refused, q.ProblemDetail)}");
                return null;
            }
            if (!RequestParameters.TryNarrow(q, filter, stats, zone, out var narrowed))
            {
                problem = new("Search.Problem.unknown-source", q.FieldFilters.Source ?? "", $"{raw}: {SearchProblems.English("unknown-source", q.FieldFilters.Source)}");
                return null;
            }
            if (IndexPlan.Of(q, narrowed).Match is null)
            {
                problem = new("Trends.OnlyExclusions", raw, $"{raw}: the query needs a term to count, not only exclusions");
                return null;
            }
            queries.Add((raw, q, narrowed));
        }
        return new Request(queries, filter, periods);
    }

    /// <summary>Each query's counts; the queries run at once, each on a connection of its own.</summary>
    public async Task<IReadOnlyList<TrendSeries>> CountAsync(Request r, CancellationToken ct)
    {
        var p = r.Periods;
        var grouping = $"{zone.Id} {p.Unit} {p.Starts[0]:O} {p.Last:O}";
        var counting = r.Queries.Select(x => engine.CellsAsync(x.Query, x.Filter, p.Of, grouping, ct)).ToList();
        var series = new List<TrendSeries>();
        for (var i = 0; i < counting.Count; i++)
        {
            var cells = await counting[i] ?? new MatchCells([], null);
            var outlets = cells.Cells.GroupBy(c => c.Outlet).Select(g =>
            {
                var counts = new long[p.Count];
                foreach (var c in g)
                {
                    counts[c.Period] = c.Count;
                }
                return (Outlet: g.Key, Counts: counts);
            }).OrderByDescending(o => o.Counts.Sum()).ThenBy(o => o.Outlet, StringComparer.Ordinal).ToList();
            var totals = Enumerable.Range(0, p.Count).Select(k => outlets.Sum(o => o.Counts[k])).ToArray();
            var exactFrom = cells.ExactFrom is { } key && p.Of(key) is { } k ? k + 1 : 0;
            series.Add(new TrendSeries(r.Queries[i].Raw, totals, outlets, exactFrom));
        }
        return series;
    }

    /// <summary>period,query,outlet,count,lower_bound: a row per period, query and outlet with matches.</summary>
    public static string Csv(TrendPeriods periods, IReadOnlyList<TrendSeries> series)
    {
        var csv = new StringBuilder("period,query,outlet,count,lower_bound\r\n");
        for (var i = 0; i < periods.Count; i++)
        {
            foreach (var s in series)
            {
                foreach (var (outlet, counts) in s.Outlets.Where(o => o.Counts[i] > 0))
                {
                    csv.Append(CultureInfo.InvariantCulture, $"{periods.Key(i)},{Field(s.Query)},{Field(outlet)},{counts[i]},{(s.IsLowerBound(i) ? "true" : "false")}\r\n");
                }
            }
        }
        return csv.ToString();
    }

    // RFC 4180 quoting; a leading =, +, - or @ is quoted with an apostrophe so a spreadsheet never runs it.
    private static string Field(string v)
    {
        if (v.Length > 0 && v[0] is '=' or '+' or '-' or '@')
        {
            v = "'" + v;
        }
        return v.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
    }

    /// <summary>The chosen days, else the archive's first month to its last (today's if empty).</summary>
    private (DateOnly From, DateOnly To) Range(HttpRequest req)
    {
        static DateOnly? Day(string? v) => DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var months = stats.Periods(new ArticleFilter(), months: true)
            .Select(m => DateOnly.ParseExact(m.Period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var first = months.Count > 0 ? months.Min() : today;
        var last = months.Count > 0 ? months.Max().AddMonths(1).AddDays(-1) : today;
        return (Day(req.Query["from"].FirstOrDefault()) ?? first, Day(req.Query["to"].FirstOrDefault()) ?? last);
    }
}
