using System.Globalization;
using Microsoft.Extensions.Localization;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>How dates, numbers, article languages and outlets are shown, in the request's culture.</summary>
public sealed class Display(TimeZoneInfo zone, IStringLocalizer<SharedResource> l, ArchiveStats stats)
{
    public TimeZoneInfo Zone => zone;

    public static CultureInfo Culture => CultureInfo.CurrentUICulture;

    public string DateTime(DateTimeOffset? t)
    {
        if (t is not { } v)
        {
            return l["Date.Unknown"];
        }
        var local = TimeZoneInfo.ConvertTime(v, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var tz = offset.Minutes == 0 ? $"UTC{sign}{Math.Abs(offset.Hours)}" : $"UTC{sign}{offset:hh\\:mm}";
        return local.ToString("g", Culture) + " (" + tz + ")";
    }

    public string Date(DateTimeOffset? t) =>
        t is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("d", Culture) : l["Date.Unknown"];

    public static string Iso(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) ?? "";

    public static string Number(long n) => n.ToString("N0", Culture);

    /// <summary>A year, month or day as people write it in the UI language (2020年6月, June 2020, 19 June 2020).</summary>
    public string Period(int year, int? month = null, int? day = null) =>
        month is not { } m ? l["Period.Year", year]
            : day is not { } d ? l["Period.Month", new DateTime(year, m, 1)]
            : l["Period.Day", new DateTime(year, m, d)];

    /// <summary>A period of the sidebar's counts: "2024" or "2024-06".</summary>
    public string Period(string yearOrMonth) =>
        yearOrMonth.Split('-') is [var y, var m] ? Period(int.Parse(y, CultureInfo.InvariantCulture), int.Parse(m, CultureInfo.InvariantCulture))
            : Period(int.Parse(yearOrMonth, CultureInfo.InvariantCulture));

    /// <summary>
    /// A reader's text cut for a heading or a title (whole characters, an ellipsis when cut): a long
    /// query echoed in full would fill the screen. Form fields keep the whole text.
    /// </summary>
    public static string Shorten(string s, int max = 80)
    {
        var info = new StringInfo(s);
        return info.LengthInTextElements <= max ? s : info.SubstringByTextElements(0, max).TrimEnd() + "…";
    }

    /// <summary>What a page says about a query value it could not use (the value shortened).</summary>
    public string Bad(BadParameter p) => l["Param.Bad." + p.Name, Shorten(p.Value, 40)];

    public string Language(string code) => l["Lang." + code];

    /// <summary>An outlet's name in the UI's language and script (en: English, zh-Hant: Traditional, zh-Hans: Simplified).</summary>
    public string Outlet(string id) => stats.Outlet(id).Name(Culture.Name);
}

/// <summary>Page numbers around the current page, with first and last.</summary>
public sealed record Pager(int Page, int Size, long Total)
{
    public int LastPage => (int)Math.Max(1, (Total + Size - 1) / Size);

    public IEnumerable<int> Window()
    {
        var from = Math.Max(1, Page - 3);
        var to = Math.Min(LastPage, Page + 3);
        return Enumerable.Range(from, Math.Max(0, to - from + 1));
    }
}

/// <summary>
/// The search page's time facet: years, or the months of one chosen year, in the display time zone,
/// on the same day boundaries as the from/to filters, so a period's count is its narrowed search's total.
/// A period is a year (2021) or a year and month (202103).
/// </summary>
public sealed class Periods(TimeZoneInfo zone, int? year)
{
    public int? Year => year;

    /// <summary>The chosen year: a from/to range that starts and ends inside one year.</summary>
    public static int? ChosenYear(ArticleFilter f, TimeZoneInfo zone) =>
        f is { From: { } from, To: { } to } && TimeZoneInfo.ConvertTime(from, zone).Year is var y
            && TimeZoneInfo.ConvertTime(to.AddTicks(-1), zone).Year == y ? y : null;

    public int? Of(long sortKey)
    {
        if (sortKey < SortKeys.UnknownDateLimit)
        {
            return null;
        }
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(sortKey >> SortKeys.SlotBits), zone);
        var p = year is null ? local.Year : local.Year * 100 + local.Month;
        // Near a boundary the local clock and the filters' day starts can differ by an offset change.
        if (sortKey < SortKeys.At(Start(p)))
        {
            p = Previous(p);
        }
        else if (sortKey >= SortKeys.At(Start(Next(p))))
        {
            p = Next(p);
        }
        return year is null || p / 100 == year ? p : null;
    }

    /// <summary>The first and last day of a period, as the from and to parameters.</summary>
    public (DateOnly From, DateOnly To) Days(int p) => (Day(p), Day(Next(p)).AddDays(-1));

    private static DateOnly Day(int p) => p < 10000 ? new DateOnly(p, 1, 1) : new DateOnly(p / 100, p % 100, 1);

    private DateTimeOffset Start(int p) => ArchiveStats.StartOf(zone, Day(p));

    private static int Next(int p) => p < 10000 ? p + 1 : p % 100 == 12 ? (p / 100 + 1) * 100 + 1 : p + 1;

    private static int Previous(int p) => p < 10000 ? p - 1 : p % 100 == 1 ? (p / 100 - 1) * 100 + 12 : p - 1;
}
