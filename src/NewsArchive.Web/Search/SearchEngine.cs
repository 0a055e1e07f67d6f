using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Memory;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

public enum SearchSort
{
    Relevance,
    Newest,
}

public sealed record SearchRequest(SearchQuery Query, ArticleFilter Filter, SearchSort Sort, int Page, int Size);

public sealed record SearchHit(ArticleRow Article, string TitleHtml, string Snippet);

public sealed record SearchResult(long Total, IReadOnlyList<SearchHit> Hits, string? Problem)
{
    public static SearchResult Refused(string problem) => new(0, [], problem);
}

/// <summary>
/// Runs queries on the search_index table. Terms the index answers exactly (words, or one run of
/// characters) are counted and paged by FTS5 alone; the rare others are checked against the folded
/// text of the index's candidates. Relevance is BM25 with the title weighted 8× the body; for terms
/// that match more than <see cref="RankWindow"/> articles, the newest RankWindow are ranked and
/// the older ones follow newest first, so a query for 的 costs the same as one for 拜登.
/// </summary>
public sealed class SearchEngine(Database db, bool cacheCounts = true)
{
    public const int RankWindow = 1000;

    // Exact totals by (index version, expression, range): the same for every page of a query and
    // for its facet counts, and the costliest part of a page for a common term on a large archive.
    // The version is the last queue entry the index applied, so any change to the index, from this
    // process or another, makes new keys.
    private readonly MemoryCache _counts = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private const int SnippetChars = 160;

    public async Task<SearchResult> SearchAsync(SearchRequest r)
    {
        if (r.Query.Problem is { } problem)
        {
            return SearchResult.Refused(problem);
        }
        using var c = db.Open();
        var plan = Plan.Of(r.Query, r.Filter);
        var offset = (r.Page - 1) * r.Size;
        var (total, keys) = plan.NeedsVerification
            ? Verified(c, plan, r.Query, r.Sort, offset, r.Size)
            : plan.Match is null
                ? ExcludeOnly(c, plan, offset, r.Size)
                : Indexed(c, plan, r.Sort, offset, r.Size);
        var hits = ArticleStore.BySortKeys(c, keys).Select(a => new SearchHit(
            a, Snippets.Highlight(a.Title, r.Query), Snippets.Highlight(a.Text ?? "", r.Query, SnippetChars))).ToList();
        return new SearchResult(await total, hits, null);
    }

    /// <summary>Only the number of matches (for facet counts): no ranking, no rows, no snippets.</summary>
    public async Task<long> CountAsync(SearchQuery q, ArticleFilter f)
    {
        if (q.Problem is not null)
        {
            return 0;
        }
        var plan = Plan.Of(q, f);
        if (plan.NeedsVerification || plan.Match is null)
        {
            return (await SearchAsync(new SearchRequest(q, f, SearchSort.Newest, 1, 1))).Total;
        }
        using var c = db.Open();
        var key = CountKey(c, plan);
        return Cached(key, out var count) ? count : Counted(c, plan, key);
    }

    private (long Version, string? Match, long Min, long Max)? CountKey(SqliteConnection c, Plan p) =>
        cacheCounts ? (c.ExecuteScalar<long>("SELECT applied_seq FROM search.index_state WHERE id = 1"), p.Match, p.Min, p.Max) : null;

    private bool Cached((long, string?, long, long)? key, out long count)
    {
        count = 0;
        return key is { } k && _counts.TryGetValue(k, out count);
    }

    private long Counted(SqliteConnection c, Plan p, (long, string?, long, long)? key)
    {
        var count = c.ExecuteScalar<long>(
            "SELECT count(*) FROM search_index WHERE search_index MATCH @m AND rowid BETWEEN @min AND @max", new { m = p.Match, min = p.Min, max = p.Max });
        if (key is { } k)
        {
            _counts.Set(k, count, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        }
        return count;
    }

    /// <summary>
    /// The exact total, counted on a connection of its own while this one finds and reads the page:
    /// the two are independent, and for a common term each is a pass over many matches, so the page
    /// costs the slower of the two instead of their sum (docs/benchmarks.md).
    /// </summary>
    private Task<long> StartCount(SqliteConnection c, Plan p)
    {
        var key = CountKey(c, p);
        if (Cached(key, out var count))
        {
            return Task.FromResult(count);
        }
        return Task.Run(() =>
        {
            using var own = db.Open();
            return Counted(own, p, key);
        });
    }

    /// <summary>
    /// Articles whose titles share an article's title terms, by BM25 among the newest matches: the
    /// rarest shared terms weigh most, so these are the articles about the same people, places and events.
    /// </summary>
    public IReadOnlyList<ArticleRow> Related(ArticleRow a, int count)
    {
        var tokens = Tokens.Tokenize(Folding.Fold(a.Title));
        var grams = tokens.Grams.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(Tokens.IsPair).Distinct().Take(24);
        var words = tokens.Words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3 && w != Tokens.Gap).Distinct().Take(12);
        // Titles against titles: far fewer candidates than the bodies, and the closest matches in topic.
        var parts = grams.Select(g => "title_grams : " + SearchQuery.Quote(g))
            .Concat(words.Select(w => "title_words : " + SearchQuery.Quote(w))).ToList();
        if (parts.Count == 0)
        {
            return [];
        }
        using var c = db.Open();
        var keys = c.Query<long>(
            $"""
            SELECT rowid FROM (SELECT rowid, {Rank(oneTerm: false)} AS score FROM search_index WHERE search_index MATCH @m AND rowid != @self
                               ORDER BY rowid DESC LIMIT @window)
            ORDER BY score LIMIT @count
            """,
            new { m = string.Join(" OR ", parts), self = a.SortKey, count, window = RankWindow * 2 }).AsList();
        return ArticleStore.BySortKeys(c, keys);
    }

    /// <summary>BM25 with the title columns weighted 8× the body (see <see cref="Bm25"/> for oneTerm).</summary>
    private static string Rank(bool oneTerm) => $"{Bm25.Name}(search_index, {(oneTerm ? 1 : 0)}, 8, 8, 8, 1, 1, 1, 0)";

    /// <summary>The FTS5 expression and SQL filters for a query; OneTerm if it has one term that is not excluded.</summary>
    private sealed record Plan(string? Match, string? Exclude, long Min, long Max, ArticleFilter Filter, bool NeedsVerification, bool OneTerm)
    {
        public static Plan Of(SearchQuery q, ArticleFilter f)
        {
            var positives = q.Terms.Where(t => !t.Negated)
                .Select(t => SearchQuery.IndexExpression(t, expandForms: true)).OfType<string>().ToList();
            var negatives = q.Terms.Where(t => t.Negated && t.IsExactInIndex)
                .Select(t => SearchQuery.IndexExpression(t, expandForms: false)).OfType<string>().ToList();
            var verify = q.Terms.Any(t => !t.IsExactInIndex || SearchQuery.IndexExpression(t, false) is null);
            if (f.Language is { } lang)
            {
                positives.Add("facets : " + Facets.LanguageToken(lang));
            }
            if (f.Source is { } source)
            {
                positives.Add("facets : " + Facets.SourceToken(source));
            }
            string? match = null;
            if (positives.Count > 0)
            {
                match = string.Join(" AND ", positives.Select(p => "(" + p + ")"));
                foreach (var n in negatives)
                {
                    match = "(" + match + ") NOT (" + n + ")";
                }
            }
            var exclude = negatives.Count == 0 ? null : string.Join(" OR ", negatives.Select(n => "(" + n + ")"));
            var (min, max) = f.SortKeyRange;
            return new Plan(match, exclude, min, max, f, verify, q.Terms.Count(t => !t.Negated) == 1);
        }
    }

    private (Task<long>, List<long>) Indexed(SqliteConnection c, Plan p, SearchSort sort, int offset, int size)
    {
        var total = StartCount(c, p);
        var args = new DynamicParameters(new { m = p.Match, min = p.Min, max = p.Max, size, offset });
        const string where = "search_index MATCH @m AND rowid BETWEEN @min AND @max";
        if (sort == SearchSort.Newest)
        {
            return (total, c.Query<long>($"SELECT rowid FROM search_index WHERE {where} ORDER BY rowid DESC LIMIT @size OFFSET @offset", args).AsList());
        }
        // Rank the newest RankWindow matches in one pass; older ones follow, newest first.
        var keys = new List<long>(size);
        if (offset < RankWindow)
        {
            args.Add("window", RankWindow);
            args.Add("ranked", Math.Min(size, RankWindow - offset));
            keys.AddRange(c.Query<long>($"""
                SELECT rowid FROM (SELECT rowid, {Rank(p.OneTerm)} AS score FROM search_index WHERE {where} ORDER BY rowid DESC LIMIT @window)
                ORDER BY score LIMIT @ranked OFFSET @offset
                """, args));
        }
        if (keys.Count < size)
        {
            // Empty unless there are more than RankWindow matches; cheap when there are few.
            args.Add("skip", RankWindow + Math.Max(0, offset - RankWindow));
            args.Add("rest", size - keys.Count);
            keys.AddRange(c.Query<long>($"SELECT rowid FROM search_index WHERE {where} ORDER BY rowid DESC LIMIT @rest OFFSET @skip", args));
        }
        return (total, keys);
    }

    /// <summary>Articles in the filters that no exclusion (@x, an FTS5 expression or NULL) finds.</summary>
    private const string AllButExcluded = """
        sort_key BETWEEN @min AND @max
        AND (@Source IS NULL OR source = @Source) AND (@Language IS NULL OR language = @Language)
        AND (@x IS NULL OR sort_key NOT IN (SELECT rowid FROM search_index WHERE search_index MATCH @x))
        """;

    private static (Task<long>, List<long>) ExcludeOnly(SqliteConnection c, Plan p, int offset, int size)
    {
        var args = new { x = p.Exclude, min = p.Min, max = p.Max, p.Filter.Source, p.Filter.Language, size, offset };
        var total = c.ExecuteScalar<long>($"SELECT count(*) FROM articles WHERE {AllButExcluded}", args);
        return (Task.FromResult(total), c.Query<long>($"SELECT sort_key FROM articles WHERE {AllButExcluded} ORDER BY sort_key DESC LIMIT @size OFFSET @offset", args).AsList());
    }

    /// <summary>Candidates from the index, each checked against its folded title and text.</summary>
    private static (Task<long>, List<long>) Verified(SqliteConnection c, Plan p, SearchQuery q, SearchSort sort, int offset, int size)
    {
        var args = new { m = p.Match, x = p.Exclude, min = p.Min, max = p.Max, p.Filter.Source, p.Filter.Language };
        var candidates = p.Match is null
            ? c.Query<long>($"SELECT sort_key FROM articles WHERE {AllButExcluded} ORDER BY sort_key DESC", args).AsList()
            : c.Query<long>($"""
                SELECT rowid FROM search_index WHERE search_index MATCH @m AND rowid BETWEEN @min AND @max
                ORDER BY {(sort == SearchSort.Relevance ? Rank(p.OneTerm) : "rowid DESC")}
                """, args).AsList();
        var checkTerms = q.Terms.Where(t => !t.IsExactInIndex || SearchQuery.IndexExpression(t, false) is null).ToList();
        var passed = new List<long>();
        foreach (var chunk in candidates.Chunk(500))
        {
            var texts = c.Query<(long Key, string Title, string Text)>(
                "SELECT sort_key, title, text FROM articles WHERE sort_key IN @chunk", new { chunk }).ToDictionary(x => x.Key);
            foreach (var key in chunk)
            {
                if (!texts.TryGetValue(key, out var a))
                {
                    continue;
                }
                var folded = Folding.Fold(a.Title + " " + a.Text);
                if (checkTerms.All(t => SearchQuery.Matches(folded, t) != t.Negated))
                {
                    passed.Add(key);
                }
            }
        }
        return (Task.FromResult((long)passed.Count), passed.Skip(offset).Take(size).ToList());
    }
}
