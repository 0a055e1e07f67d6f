using NewsArchive.Web.Model;

namespace NewsArchive.Web.Search;

// What SearchEngine takes and gives.

public enum SearchSort
{
    Relevance,
    Newest,
}

public sealed record SearchRequest(SearchQuery Query, ArticleFilter Filter, SearchSort Sort, int Page, int Size);

/// <summary>Matches by outlet id (most first) and by period (in order).</summary>
public sealed record FacetCounts(IReadOnlyList<(string Outlet, long Count)> Outlets, IReadOnlyList<(int Period, long Count)> Periods);

/// <summary>
/// Matches by outlet and period together; with <see cref="ExactFrom"/>, only the matches from that
/// sort_key on were checked against the text, and counts before it are lower bounds.
/// </summary>
public sealed record MatchCells(IReadOnlyList<(string Outlet, int Period, long Count)> Cells, long? ExactFrom);

public sealed record SearchHit(ArticleRow Article, string TitleHtml, string Snippet);

public sealed record SearchResult(long Total, IReadOnlyList<SearchHit> Hits, string? Problem, bool TotalIsLowerBound = false)
{
    public static SearchResult Refused(string problem) => new(0, [], problem);
}
