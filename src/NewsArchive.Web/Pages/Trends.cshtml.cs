using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/trends: up to five queries counted per period and outlet, as a chart, a table and a CSV link.</summary>
[OutputCache(PolicyName = CachePolicies.Trends)]
[RequestCost(RequestCost.Search)]
public sealed class TrendsModel(SearchEngine engine, ArchiveStats stats, TimeZoneInfo zone, Display d, IStringLocalizer<SharedResource> l, HtmlEncoder encoder) : PageModel
{
    /// <summary>One query: lines per outlet, the largest this many and the rest as "other".</summary>
    public const int TopOutlets = 5;

    public IReadOnlyList<string> Queries { get; private set; } = [];
    public Trends.Request? Counted { get; private set; }
    public IReadOnlyList<TrendSeries> Series { get; private set; } = [];
    public TrendsProblem? Problem { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Queries = Request.Query["q"].Select(q => q ?? "").Where(q => q.Trim().Length > 0).ToList();
        var trends = new Trends(engine, stats, zone);
        if (trends.Read(Request, out var problem) is not { } request)
        {
            Problem = problem;
            Response.StatusCode = problem!.Status;
            return Page();
        }
        Counted = request;
        Queries = request.Queries.Select(x => x.Raw).ToList();
        if (request.Queries.Count == 0)
        {
            return Page();
        }
        using var budget = SearchBudget.Start(HttpContext);
        try
        {
            Series = await trends.CountAsync(request, budget.Token);
        }
        catch (OperationCanceledException) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = "Search.TooSlow";
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
        return Page();
    }

    /// <summary>
    /// What the chart and table show: for several queries a series each (their totals); for one,
    /// its largest outlets and the rest as "other" (null outlet), stacked.
    /// </summary>
    public IReadOnlyList<(string Name, string? Outlet, long[] Counts)> Shown() => Series.Count == 1
        ? Series[0].Stacked(TopOutlets, d, l)
        : Series.Select(s => (s.Query, (string?)null, s.Totals)).ToList();

    /// <summary>This view's parameters on a path (the page or its CSV), without the reader's UI language.</summary>
    public string ViewLink(string path) => QueryHelpers.AddQueryString(Request.PathBase + path,
        Trends.QueryKeys.SelectMany(k => Request.Query[k].Select(v => new KeyValuePair<string, string?>(k, v))));

    /// <summary>A count, as a link to its search when it has one (no whitespace around it: a table cell's content).</summary>
    public HtmlString Linked(string? href, string text) =>
        new(href is null ? encoder.Encode(text) : $"<a href=\"{encoder.Encode(href)}\">{encoder.Encode(text)}</a>");

    /// <summary>The search behind a count: the query over one period (and outlet), with the page's filters.</summary>
    public string SearchLink(string query, int period, string? outlet = null)
    {
        var (from, to) = Counted!.Periods.Days(period);
        var f = Counted.Filter;
        var args = new Dictionary<string, string?>
        {
            ["q"] = query,
            ["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["source"] = outlet ?? f.Outlet,
            ["language"] = f.Language,
        };
        return QueryHelpers.AddQueryString(Request.PathBase + "/search", args.Where(a => a.Value is not null));
    }
}
