using NewsArchive.Web.Search;

namespace NewsArchive.Web.Api;

public sealed record SearchHitJson(string Id, string Url, string Title, string Source, string Language, string? Published, string Permalink, string Snippet);

/// <summary>GET /api/search: the same engine as the /search page, as JSON.</summary>
public static class SearchApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", async (HttpRequest req, SearchEngine engine) =>
        {
            if (!Paging.TryRead(req, out var page, out var size, out var error) || !ArticlesApi.TryReadFilter(req, out var filter, out error)
                || !TryReadSort(req, out var sort, out error))
            {
                return Results.BadRequest(new ErrorJson(error));
            }
            var query = SearchQuery.Parse(req.Query["q"].FirstOrDefault());
            var result = await engine.SearchAsync(new SearchRequest(query, filter, sort, page, size));
            if (result.Problem is { } problem)
            {
                return Results.BadRequest(new ErrorJson(problem switch
                {
                    "too-long" => $"the query is longer than {SearchQuery.MaxLength} characters",
                    "too-many-terms" => $"the query has more than {SearchQuery.MaxTerms} terms",
                    _ => "the query has no terms to search for",
                }));
            }
            var hits = result.Hits.Select(h =>
            {
                var a = ArticleJson.From(h.Article);
                return new SearchHitJson(a.Id, a.Url, a.Title, a.Source, a.Language, a.Published, a.Permalink, h.Snippet);
            }).ToList();
            return Results.Ok(new PageJson<SearchHitJson>(result.Total, page, size, hits));
        });
    }

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
}
