using System.Globalization;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>A query value that was not valid: which parameter, what it was, and why (plain English, for the API).</summary>
public sealed record BadParameter(string Name, string Value, string Error);

/// <summary>
/// The query-string parameters the pages and the JSON API share: paging, the article filters and
/// the search sort. Errors are plain English (the API returns them; pages show their own message).
/// </summary>
public static class RequestParameters
{
    public const int MaxPageSize = 100;

    /// <summary>Dates outside these years are a mistake or a probe; inside, any day is valid.</summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2200, 12, 31);

    /// <summary>page (1-based) and size (1..100).</summary>
    public static bool TryReadPaging(HttpRequest req, out int page, out int size, out string error, int defaultSize = 20)
    {
        size = defaultSize;
        if (!TryReadPage(req, out page, out error))
        {
            return false;
        }
        if (req.Query["size"].FirstOrDefault() is { } s && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxPageSize))
        {
            error = $"size must be a whole number from 1 to {MaxPageSize}";
            return false;
        }
        return true;
    }

    /// <summary>page (1-based, at most 1,000,000), for the pages whose size is fixed.</summary>
    public static bool TryReadPage(HttpRequest req, out int page, out string error)
    {
        page = 1;
        error = "";
        if (req.Query["page"].FirstOrDefault() is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1 || page > 1_000_000))
        {
            error = "page must be a whole number from 1 to 1000000";
            return false;
        }
        return true;
    }

    /// <summary>
    /// The optional source (an outlet id), language, from and to filters; from and to (yyyy-MM-dd, inclusive) are
    /// days in the display time zone, as on /archive/… and in the sidebar's counts.
    /// </summary>
    public static bool TryReadFilter(HttpRequest req, TimeZoneInfo zone, out ArticleFilter filter, out string error, string languageKey = "lang")
    {
        var bad = new List<BadParameter>();
        filter = ReadFilter(req, zone, bad, languageKey);
        error = bad.FirstOrDefault()?.Error ?? "";
        return bad.Count == 0;
    }

    /// <summary>
    /// The filters as <see cref="TryReadFilter"/> reads them, each bad value left out and named in
    /// <paramref name="bad"/>: a page shows what it can and says what it ignored.
    /// </summary>
    public static ArticleFilter ReadFilter(HttpRequest req, TimeZoneInfo zone, List<BadParameter> bad, string languageKey = "lang")
    {
        string? Param(string name) => req.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        var lang = Param(languageKey);
        if (lang is not null && !Languages.All.Contains(lang))
        {
            bad.Add(new(languageKey, lang, $"{languageKey} must be one of zh-Hans, zh-Hant, en"));
            lang = null;
        }
        DateTimeOffset? from = null, to = null;
        foreach (var (name, isTo) in new[] { ("from", false), ("to", true) })
        {
            if (Param(name) is not { } v)
            {
                continue;
            }
            if (!DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                || day < Earliest || day > Latest)
            {
                bad.Add(new(name, v, $"{name} must be a date yyyy-MM-dd from 1900-01-01 to 2200-12-31"));
                continue;
            }
            if (isTo)
            {
                to = ArchiveStats.StartOf(zone, day.AddDays(1));
            }
            else
            {
                from = ArchiveStats.StartOf(zone, day);
            }
        }
        return new ArticleFilter(Param("source"), lang, from, to);
    }

    /// <summary>The page number, or 1 with the bad value named in <paramref name="bad"/>.</summary>
    public static int ReadPage(HttpRequest req, List<BadParameter> bad)
    {
        if (TryReadPage(req, out var page, out var error))
        {
            return page;
        }
        bad.Add(new("page", req.Query["page"].ToString(), error));
        return 1;
    }

    /// <summary>sort=relevance (the default) or newest.</summary>
    public static bool TryReadSort(HttpRequest req, out SearchSort sort, out string error)
    {
        error = "";
        sort = SearchSort.Relevance;
        switch (req.Query["sort"].FirstOrDefault())
        {
            case null or "" or "relevance":
                return true;
            case "newest":
                sort = SearchSort.Newest;
                return true;
            default:
                error = "sort must be relevance or newest";
                return false;
        }
    }

    /// <summary>
    /// The URL's filter narrowed by the query's fields (<see cref="QueryFields"/>); false when
    /// <c>source:</c> names no outlet of the archive.
    /// </summary>
    public static bool TryNarrow(SearchQuery q, ArticleFilter f, ArchiveStats stats, TimeZoneInfo zone, out ArticleFilter narrowed)
    {
        narrowed = f;
        string? outlet = null;
        if (q.FieldFilters.Source is { } name && (outlet = stats.OutletNamed(name)) is null)
        {
            return false;
        }
        narrowed = q.FieldFilters.Narrow(f, zone, outlet);
        return true;
    }
}
