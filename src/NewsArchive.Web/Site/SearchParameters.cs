using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>
/// A search as a request asks for it: the parsed query (null when it was blank and optional: the
/// filters alone), the URL's filters narrowed by the query's fields, the sort.
/// </summary>
public sealed record AskedSearch(SearchQuery? Query, ArticleFilter Filter, SearchSort Sort);

/// <summary>How the API, the feed and the exports read a search from the query string, and refuse one.</summary>
public static class SearchParameters
{
    /// <summary>
    /// The search of q, source, language (<paramref name="languageKey"/>), from, to and sort; or
    /// why not: 404 for a ?source= that names no outlet, else 400, with the reason in plain English.
    /// </summary>
    public static bool TryRead(HttpRequest req, ArchiveStats stats, TimeZoneInfo zone, string languageKey,
        out AskedSearch asked, out (int Status, string Reason) refused, bool optionalQuery = false)
    {
        var q = req.Query["q"].FirstOrDefault();
        asked = new(optionalQuery && string.IsNullOrWhiteSpace(q) ? null : SearchQuery.Parse(q), new(), SearchSort.Relevance);
        refused = (StatusCodes.Status400BadRequest, "");
        if (!RequestParameters.TryReadFilter(req, zone, out var filter, out var error, languageKey)
            || !RequestParameters.TryReadSort(req, out var sort, out error))
        {
            refused.Reason = error;
            return false;
        }
        if (!stats.IsOutlet(filter.Outlet))
        {
            refused = (StatusCodes.Status404NotFound, "no such source");
            return false;
        }
        if (asked.Query is not { } query)
        {
            asked = asked with { Filter = filter, Sort = sort };
            return true;
        }
        if (query.Problem is { } problem)
        {
            refused.Reason = SearchProblems.English(problem, query.ProblemDetail);
            return false;
        }
        if (!RequestParameters.TryNarrow(query, filter, stats, zone, out filter))
        {
            refused.Reason = SearchProblems.English("unknown-source", query.FieldFilters.Source);
            return false;
        }
        asked = asked with { Filter = filter, Sort = sort };
        return true;
    }
}
