using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Pages;

/// <summary>/search: ranked results with highlighted snippets; filters and sort combine with the query.</summary>
[OutputCache(PolicyName = CachePolicies.Search)]
[RequestCost(RequestCost.Search)]
public sealed partial class SearchModel(SearchEngine engine, ArchiveStats stats, TimeZoneInfo zone, Database db) : PageModel
{
    public const int PageSize = 20;

    public string Query { get; private set; } = "";

    /// <summary>Query values the page could not use and left out (it says so, and answers 400).</summary>
    public List<BadParameter> Bad { get; } = [];

    /// <summary>The page asked for when it was past the end (the last page is shown instead).</summary>
    public int? PastEnd { get; private set; }

    /// <summary>The query looked like an address, but the archive holds no article there.</summary>
    public bool NotArchived { get; private set; }

    // A host and a path without the scheme, as copied from an address bar or a message: rfi.fr/cn/x.
    [GeneratedRegex(@"^(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?::\d+)?/\S*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPath();

    /// <summary>An http(s) URL, with or without its scheme; null when the query is not one.</summary>
    private static string? AsUrl(string q)
    {
        if (q.Any(char.IsWhiteSpace))
        {
            return null;
        }
        var url = HostAndPath().IsMatch(q) ? "https://" + q : q;
        // As a browser sends it (non-ASCII percent-encoded), the form stored URLs have.
        return Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u.AbsoluteUri : null;
    }

    public SearchSort Sort { get; private set; }
    public ArticleFilter Filter { get; private set; } = new();
    public SearchResult? Result { get; private set; }
    public Pager Pager { get; private set; } = new(1, PageSize, 0);
    public IReadOnlyList<(string Language, long Count)> LanguageCounts { get; private set; } = [];
    public string? Error { get; private set; }

    /// <summary>The part of the query an error is about (a field, a value), for its message.</summary>
    public string ErrorDetail { get; private set; } = "";
    public FacetCounts? Facets { get; private set; }
    public Periods Periods { get; private set; } = new(TimeZoneInfo.Utc, null);

    public async Task<IActionResult> OnGetAsync(string? q)
    {
        Query = q ?? "";
        ViewData["Query"] = Query;
        var page = RequestParameters.ReadPage(Request, Bad);
        var filter = RequestParameters.ReadFilter(Request, zone, Bad, "language");
        if (!RequestParameters.TryReadSort(Request, out var sort, out var sortError))
        {
            Bad.Add(new("sort", Request.Query["sort"].ToString(), sortError));
        }
        if (!stats.IsOutlet(filter.Outlet))
        {
            return NotFound();
        }
        Filter = filter;
        Sort = sort;
        if (Bad.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        if (string.IsNullOrWhiteSpace(Query))
        {
            return Page();
        }
        // A reader with a dead link pastes it here: an archived URL goes straight to its article.
        if (AsUrl(Query.Trim()) is { } url)
        {
            using var c = db.Open();
            if (ArticleAliasStore.PermalinkByKey(c, UrlIdentity.Key(url)) is { } permalink)
            {
                return Redirect($"~/a/{permalink}");
            }
            NotArchived = true;
        }
        var parsed = SearchQuery.Parse(Query);
        if (parsed.Problem is { } refused)
        {
            return Failed("Search.Problem." + refused, StatusCodes.Status400BadRequest, parsed.ProblemDetail);
        }
        // The query's own filters (source:, lang:, dates) narrow the URL's.
        if (!RequestParameters.TryNarrow(parsed, filter, stats, zone, out filter))
        {
            return Failed("Search.Problem.unknown-source", StatusCodes.Status400BadRequest, parsed.FieldFilters.Source);
        }
        // The results and the facet counts share one budget.
        using var budget = SearchBudget.Start(HttpContext);
        try
        {
            Periods = new Periods(zone, Periods.ChosenYear(filter, zone));
            // Planned once; the page, its total, the facets and the language counts all use the plan.
            var plan = IndexPlan.Of(parsed, filter);
            var facets = engine.FacetsAsync(plan, Periods.Of, $"{zone.Id} {Periods.Year}", budget.Token);
            var languages = engine.CountsAsync(Languages.All.Select(l => plan.For(filter with { Language = l })).ToList(), budget.Token);
            // Titles and snippets highlighted once, in the script the reader reads.
            var preference = ScriptPreference.Of(HttpContext);
            Func<string, ScriptTarget?> script = language => ScriptView.For(preference, language)?.Target;
            var result = await engine.SearchAsync(plan, sort, page, PageSize, script, budget.Token);
            var last = new Pager(page, PageSize, result.Total).LastPage;
            if (page > last)
            {
                (PastEnd, page) = (page, last);
                result = await engine.SearchAsync(plan, sort, page, PageSize, script, budget.Token);
            }
            Facets = await facets;
            Result = result;
            Pager = new Pager(page, PageSize, result.Total);
            LanguageCounts = Languages.All.Zip(await languages).Where(x => x.Second > 0).ToList();
            return Page();
        }
        catch (OperationCanceledException) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Failed("Search.TooSlow", StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>This search narrowed to one period (the year link of a month chart widens back to its year).</summary>
    public string PeriodLink(int period)
    {
        var (from, to) = Periods.Days(period);
        var query = QueryHelpers.ParseQuery(Request.QueryString.Value)
            .Where(kv => kv.Key is not ("from" or "to" or "page"))
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)))
            .Append(new("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .Append(new("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString(Request.PathBase + Request.Path, query);
    }

    /// <summary>
    /// This search saved: its feed (the query and filters, and the reader's script: a feed reader
    /// sends no cookie) or its export (the sort too), as /feed.atom, /export.csv or /export.jsonl.
    /// </summary>
    public string Saved(string path)
    {
        string[] keys = path == "/feed.atom" ? ["q", "source", "language", "from", "to"] : ["q", "source", "language", "from", "to", "sort"];
        var query = keys.SelectMany(k => Request.Query[k].Select(v => new KeyValuePair<string, string?>(k, v))).ToList();
        if (path == "/feed.atom" && ScriptPreference.Of(HttpContext) is var script && script != ScriptPreference.Original)
        {
            query.Add(new("script", script));
        }
        return QueryHelpers.AddQueryString(Request.PathBase + path, query);
    }

    /// <summary>The language a hit is shown in (its title and snippet are already in the reader's script).</summary>
    public string ShownLanguage(SearchHit h) => ScriptView.For(ScriptPreference.Of(HttpContext), h.Article.Language)?.Language ?? h.Article.Language;

    /// <summary>The page with a message instead of results, under an error status (never cached).</summary>
    private PageResult Failed(string error, int status, string? detail = null)
    {
        Error = error;
        ErrorDetail = detail ?? "";
        Response.StatusCode = status;
        return Page();
    }
}
