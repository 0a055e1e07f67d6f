using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Api;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/search: ranked results with highlighted snippets; filters and sort combine with the query.</summary>
public sealed class SearchModel(SearchEngine engine) : PageModel
{
    public const int PageSize = 20;

    public string Query { get; private set; } = "";
    public SearchSort Sort { get; private set; }
    public ArticleFilter Filter { get; private set; } = new();
    public SearchResult? Result { get; private set; }
    public Pager Pager { get; private set; } = new(1, PageSize, 0);
    public IReadOnlyList<(string Language, long Count)> LanguageCounts { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? q)
    {
        Query = q ?? "";
        ViewData["Query"] = Query;
        if (!Paging.TryRead(Request, out var page, out _, out var error, PageSize) || !ArticlesApi.TryReadFilter(Request, out var filter, out error, "language")
            || !SearchApi.TryReadSort(Request, out var sort, out error))
        {
            Error = "Search.BadParameters";
            return Page();
        }
        Filter = filter;
        Sort = sort;
        if (string.IsNullOrWhiteSpace(Query))
        {
            return Page();
        }
        var parsed = SearchQuery.Parse(Query);
        Result = await engine.SearchAsync(new SearchRequest(parsed, filter, sort, page, PageSize));
        if (Result.Problem is { } problem)
        {
            Error = "Search.Problem." + problem;
            return Page();
        }
        Pager = new Pager(page, PageSize, Result.Total);
        var counts = new List<(string, long)>();
        foreach (var language in NewsArchive.Web.Reader.Languages.All)
        {
            counts.Add((language, await engine.CountAsync(parsed, filter with { Language = language })));
        }
        LanguageCounts = counts.Where(x => x.Item2 > 0).ToList();
        return Page();
    }
}
