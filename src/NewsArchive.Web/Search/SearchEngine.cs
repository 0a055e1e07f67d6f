using System.Security.Cryptography;
using System.Text;
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

public sealed record SearchResult(long Total, IReadOnlyList<SearchHit> Hits, string? Problem, bool TotalIsLowerBound = false)
{
    public static SearchResult Refused(string problem) => new(0, [], problem);
}

/// <summary>
/// Runs queries on the search_index table. Terms the index answers exactly (words, or one run of
/// characters) are counted and paged by FTS5 alone; the rare others are checked against the folded
/// text of at most <see cref="VerifyLimit"/> of the index's candidates (beyond that the total is a
/// lower bound). Relevance is BM25 with the title weighted 8× the body; for terms
/// that match more than <see cref="RankWindow"/> articles, the newest RankWindow are ranked and
/// the older ones follow newest first, so a query for 的 costs the same as one for 拜登.
/// Every statement is interrupted when the caller's token fires (a client gone, a time budget spent).
/// </summary>
public sealed class SearchEngine(Database db, bool cacheCounts = true, int verifyLimit = SearchEngine.VerifyLimit)
{
    public const int RankWindow = 1000;

    /// <summary>
    /// Candidates checked against the text, at most: reading and folding one costs up to 0.2 ms
    /// (1.4 s for the 8k articles of the dev archive), so 2,000 stay well inside a second.
    /// </summary>
    public const int VerifyLimit = 2_000;

    // Totals by SHA-256 of (index version, kind, expression, filters): the same for every page of
    // a query and for its facet counts, and the costliest part of a page for a common term on a
    // large archive. The version is the last queue entry the index applied, so any change to the
    // index, from this process or another, makes new keys. Hashed keys make every entry the same
    // small size, so the entry limit bounds the bytes.
    private readonly MemoryCache _counts = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private const int SnippetChars = 160;

    private sealed record Count(long Total, bool LowerBound);

    public async Task<SearchResult> SearchAsync(SearchRequest r, CancellationToken ct = default)
    {
        if (r.Query.Problem is { } problem)
        {
            return SearchResult.Refused(problem);
        }
        ct.ThrowIfCancellationRequested();
        using var c = db.Open();
        using var stop = StatementCancellation.Interrupt(c, ct);
        try
        {
            var plan = Plan.Of(r.Query, r.Filter);
            var offset = (r.Page - 1) * r.Size;
            var (total, keys) = plan.NeedsVerification
                ? Verified(c, plan, r.Query, r.Sort, offset, r.Size, ct)
                : plan.Match is null
                    ? ExcludeOnly(c, plan, offset, r.Size)
                    : Indexed(c, plan, r.Sort, offset, r.Size, ct);
            ct.ThrowIfCancellationRequested();
            var hits = ArticleStore.BySortKeys(c, keys).Select(a => new SearchHit(
                a, Snippets.Highlight(a.Title, r.Query), Snippets.Highlight(a.Text ?? "", r.Query, SnippetChars))).ToList();
            var count = await total;
            return new SearchResult(count.Total, hits, null, count.LowerBound);
        }
        catch (SqliteException e) when (ct.IsCancellationRequested && e.SqliteErrorCode == StatementCancellation.Interrupted)
        {
            throw new OperationCanceledException(ct);
        }
    }

    /// <summary>Only the number of matches (for facet counts): no ranking, no rows, no snippets.</summary>
    public async Task<long> CountAsync(SearchQuery q, ArticleFilter f, CancellationToken ct = default)
    {
        if (q.Problem is not null)
        {
            return 0;
        }
        var plan = Plan.Of(q, f);
        if (plan.NeedsVerification || plan.Match is null)
        {
            return (await SearchAsync(new SearchRequest(q, f, SearchSort.Newest, 1, 1), ct)).Total;
        }
        Task<Count> count;
        using (var c = db.Open())
        {
            count = IndexedCount(c, plan, ct);
        }
        return (await count).Total;
    }

    private string? CountKey(SqliteConnection c, Plan p, string kind, string? check = null)
    {
        if (!cacheCounts)
        {
            return null;
        }
        var version = c.ExecuteScalar<long>("SELECT applied_seq FROM search.index_state WHERE id = 1");
        var text = string.Join('\n', version, kind, p.Match, p.Exclude, p.Min, p.Max, p.Filter.Source, p.Filter.Language, check);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private Count? Cached(string? key) => key is not null && _counts.TryGetValue(key, out Count? count) ? count : null;

    private Count Remember(string? key, Count count)
    {
        if (key is not null)
        {
            _counts.Set(key, count, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        }
        return count;
    }

    /// <summary>
    /// The exact total of an indexed query, from the cache or counted on a connection of its own
    /// while the caller's finds and reads the page: the two are independent, and for a common term
    /// each is a pass over many matches, so the page costs the slower of the two instead of their
    /// sum (docs/benchmarks.md).
    /// </summary>
    private Task<Count> IndexedCount(SqliteConnection c, Plan p, CancellationToken ct)
    {
        var key = CountKey(c, p, "indexed");
        if (Cached(key) is { } count)
        {
            return Task.FromResult(count);
        }
        return Task.Run(() =>
        {
            using var own = db.Open();
            using var stop = StatementCancellation.Interrupt(own, ct);
            try
            {
                return Remember(key, new Count(own.ExecuteScalar<long>(
                    "SELECT count(*) FROM search_index WHERE search_index MATCH @m AND rowid BETWEEN @min AND @max",
                    new { m = p.Match, min = p.Min, max = p.Max }), false));
            }
            catch (SqliteException e) when (ct.IsCancellationRequested && e.SqliteErrorCode == StatementCancellation.Interrupted)
            {
                throw new OperationCanceledException(ct);
            }
        }, ct);
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

    private (Task<Count>, List<long>) Indexed(SqliteConnection c, Plan p, SearchSort sort, int offset, int size, CancellationToken ct)
    {
        var total = IndexedCount(c, p, ct);
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

    private (Task<Count>, List<long>) ExcludeOnly(SqliteConnection c, Plan p, int offset, int size)
    {
        var args = new { x = p.Exclude, min = p.Min, max = p.Max, p.Filter.Source, p.Filter.Language, size, offset };
        var key = CountKey(c, p, "excluded");
        var total = Cached(key) ?? Remember(key, new Count(c.ExecuteScalar<long>($"SELECT count(*) FROM articles WHERE {AllButExcluded}", args), false));
        return (Task.FromResult(total), c.Query<long>($"SELECT sort_key FROM articles WHERE {AllButExcluded} ORDER BY sort_key DESC LIMIT @size OFFSET @offset", args).AsList());
    }

    /// <summary>
    /// The newest <see cref="verifyLimit"/> candidates from the index (or, with no term to narrow
    /// them, from the filters), each checked against its folded title and text; relevance ranks
    /// those candidates. With more candidates than that, the total is a lower bound. A known total
    /// (cached) lets the check stop once the page is full.
    /// </summary>
    private (Task<Count>, List<long>) Verified(SqliteConnection c, Plan p, SearchQuery q, SearchSort sort, int offset, int size, CancellationToken ct)
    {
        var checkTerms = q.Terms.Where(t => !t.IsExactInIndex || SearchQuery.IndexExpression(t, false) is null).ToList();
        var key = CountKey(c, p, "verified", string.Join('\n', checkTerms));
        var known = Cached(key);
        var args = new { m = p.Match, x = p.Exclude, min = p.Min, max = p.Max, p.Filter.Source, p.Filter.Language, limit = verifyLimit + 1L };
        var candidates = p.Match is null
            ? c.Query<long>($"SELECT sort_key FROM articles WHERE {AllButExcluded} ORDER BY sort_key DESC LIMIT @limit", args).AsList()
            : c.Query<long>($"""
                SELECT rowid FROM (SELECT rowid, {(sort == SearchSort.Relevance ? Rank(p.OneTerm) : "0")} AS score FROM search_index
                                   WHERE search_index MATCH @m AND rowid BETWEEN @min AND @max ORDER BY rowid DESC LIMIT @limit)
                ORDER BY score, rowid DESC
                """, args).AsList();
        var lowerBound = candidates.Count > verifyLimit;
        if (lowerBound)
        {
            // The one past the limit, the oldest, only said there are more.
            candidates.Remove(candidates.Min());
        }
        var needed = known is null ? int.MaxValue : offset + size;
        var passed = new List<long>();
        foreach (var chunk in candidates.Chunk(500))
        {
            ct.ThrowIfCancellationRequested();
            var texts = c.Query<(long Key, string Title, string Text)>(
                "SELECT sort_key, title, text FROM articles WHERE sort_key IN @chunk", new { chunk }).ToDictionary(x => x.Key);
            foreach (var k in chunk)
            {
                if (!texts.TryGetValue(k, out var a))
                {
                    continue;
                }
                var folded = Folding.Fold(a.Title + " " + a.Text);
                if (checkTerms.All(t => SearchQuery.Matches(folded, t) != t.Negated))
                {
                    passed.Add(k);
                }
            }
            if (passed.Count >= needed)
            {
                break;
            }
        }
        var total = known ?? Remember(key, new Count(passed.Count, lowerBound));
        return (Task.FromResult(total), passed.Skip(offset).Take(size).ToList());
    }
}
