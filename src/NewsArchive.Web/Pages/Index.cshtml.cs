using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Model;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>The home page and the date archive: newest first, with filters that combine.</summary>
[OutputCache(PolicyName = CachePolicies.List)]
public sealed class IndexModel(Database db, ArchiveStats stats, Display display) : PageModel
{
    public const int PageSize = 20;

    public ArticleFilter Filter { get; private set; } = new();
    public Pager Pager { get; private set; } = new(1, PageSize, 0);
    public IReadOnlyList<ArticleRow> Articles { get; private set; } = [];
    public IReadOnlyList<ArticleStore.LanguageCount> LanguageCounts { get; private set; } = [];
    public IReadOnlyList<OutletStore.OutletCount> Outlets { get; private set; } = [];
    public IReadOnlyList<ArticleStore.PeriodCount> Periods { get; private set; } = [];
    public (int Year, int? Month, int? Day)? Archive { get; private set; }

    /// <summary>On a date archive page, its articles per day (the calendar's counts).</summary>
    public IReadOnlyDictionary<DateOnly, int> Days { get; private set; } = new Dictionary<DateOnly, int>();

    /// <summary>
    /// The threads told by the most outlets that the page leads with: the day's on a day's page, the
    /// latest week's on the home page (first pages without filters only).
    /// </summary>
    public IReadOnlyList<StoryStore.TopStory> TopStories { get; private set; } = [];

    /// <summary>Query values the page could not use and left out (it says so, and answers 400).</summary>
    public List<BadParameter> Bad { get; } = [];

    /// <summary>The page asked for when it was past the end (the last page is shown instead).</summary>
    public int? PastEnd { get; private set; }

    public IActionResult OnGet(int? year, int? month, int? day, string? source, string? language)
    {
        // "page" is Razor Pages' own route value, so the page number is read from the query string.
        var pageNumber = RequestParameters.ReadPage(Request, Bad);
        if (language is not null && !Languages.All.Contains(language))
        {
            Bad.Add(new("language", language, "unknown language"));
            language = null;
        }
        // ?source= is an outlet's id; an old link's name was sent to its id by Site/LegacySourceLinks.
        if (!stats.IsOutlet(string.IsNullOrEmpty(source) ? null : source))
        {
            return NotFound();
        }
        DateTimeOffset? from = null, to = null;
        if (year is { } y)
        {
            // A year no archive has is a bad request; a month or day that does not exist, no such page.
            if (y is < 1900 or > 2200)
            {
                return BadRequest();
            }
            if (!TryRange(y, month, day, out var f, out var t))
            {
                return NotFound();
            }
            (from, to) = (f, t);
            Archive = (y, month, day);
        }
        Filter = new ArticleFilter(string.IsNullOrEmpty(source) ? null : source, language, from, to);
        using var c = db.Open();
        var total = ArticleStore.Count(c, Filter);
        Pager = new Pager(pageNumber, PageSize, total);
        if (pageNumber > Pager.LastPage)
        {
            (PastEnd, pageNumber) = (pageNumber, Pager.LastPage);
            Pager = Pager with { Page = pageNumber };
        }
        Articles = ArticleStore.Page(c, Filter, (pageNumber - 1) * PageSize, PageSize, total);
        LanguageCounts = stats.Languages(Filter);
        Outlets = stats.Outlets();
        Periods = stats.Periods(Filter, months: year is not null);
        if (pageNumber == 1 && Filter is { Outlet: null, Language: null } && Archive is null or { Day: not null })
        {
            var (min, max) = Archive is null && StoryStore.NewestKey(c) is { } newest ? (newest - StoryThread.LatestWeekKeys, newest) : Filter.SortKeyRange;
            TopStories = StoryStore.Top(c, min, max, StoryThread.TopCount);
        }
        if (Archive is { } arc)
        {
            // The whole month (or year) on a day's page too: the calendar shows the day among its neighbours.
            var start = new DateOnly(arc.Year, arc.Month ?? 1, 1);
            var end = arc.Month is null ? start.AddYears(1) : start.AddMonths(1);
            Days = stats.Days(Filter with { From = ArchiveStats.StartOf(display.Zone, start), To = ArchiveStats.StartOf(display.Zone, end) });
        }
        if (Bad.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    /// <summary>A calendar day, month or year in the display time zone.</summary>
    private bool TryRange(int year, int? month, int? day, out DateTimeOffset from, out DateTimeOffset to)
    {
        from = to = default;
        if (month is < 1 or > 12 || (day is not null && month is null)
            || day is < 1 || (day is { } dd && dd > DateTime.DaysInMonth(year, month!.Value)))
        {
            return false;
        }
        var start = new DateOnly(year, month ?? 1, day ?? 1);
        var end = day is not null ? start.AddDays(1) : month is not null ? start.AddMonths(1) : start.AddYears(1);
        from = ArchiveStats.StartOf(display.Zone, start);
        to = ArchiveStats.StartOf(display.Zone, end);
        return true;
    }
}
