using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Api;

public sealed record SearchHitJson(
    string Id, string Url, string Title, string Source, OutletJson Outlet, string? Byline, string Language, string? Published, string Permalink, string Snippet);

/// <summary>A page of search results; with TotalIsLowerBound, Total is "at least" (see <see cref="SearchEngine.VerifyLimit"/>).</summary>
public sealed record SearchPageJson(long Total, bool TotalIsLowerBound, int Page, int Size, IReadOnlyList<SearchHitJson> Results);

/// <summary>GET /api/search: the same engine as the /search page, as JSON.</summary>
public static class SearchApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", async (HttpContext ctx, SearchEngine engine, ArchiveStats stats, TimeZoneInfo zone) =>
        {
            var req = ctx.Request;
            if (!RequestParameters.TryReadPaging(req, out var page, out var size, out var error))
            {
                return Results.BadRequest(new ErrorJson(error));
            }
            if (!SearchParameters.TryRead(req, stats, zone, "lang", out var asked, out var refused))
            {
                return refused.Status == StatusCodes.Status404NotFound ? ArticlesApi.UnknownSource : Results.BadRequest(new ErrorJson(refused.Reason));
            }
            var (query, filter, sort) = (asked.Query!, asked.Filter, asked.Sort);
            using var budget = SearchBudget.Start(ctx);
            SearchResult result;
            try
            {
                result = await engine.SearchAsync(new SearchRequest(query, filter, sort, page, size), budget.Token);
            }
            catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
            {
                return Results.Json(new ErrorJson($"the search took longer than {SearchBudget.Time.TotalSeconds:0} s; try a narrower query"),
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            if (result.Problem is { } problem)
            {
                return Results.BadRequest(new ErrorJson(SearchProblems.English(problem, null)));
            }
            var hits = result.Hits.Select(h =>
            {
                var a = ArticleJson.From(h.Article, stats);
                return new SearchHitJson(a.Id, a.Url, a.Title, a.Source, a.Outlet, a.Byline, a.Language, a.Published, a.Permalink, h.Snippet);
            }).ToList();
            return Results.Ok(new SearchPageJson(result.Total, result.TotalIsLowerBound, page, size, hits));
        }).CacheOutput(CachePolicies.SearchApi).WithMetadata(new RequestCostAttribute(RequestCost.Search));
    }
}
