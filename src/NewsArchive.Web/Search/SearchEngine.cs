using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>
/// Runs queries on the search index, through the stores (Storage/ISearchIndex.cs, ArticleStore.cs):
/// a query becomes an <see cref="IndexPlan"/>, once per request. Terms the index answers exactly (words, or one run of
/// characters) are counted and paged by the index alone; the rare others are checked against the folded
/// text of at most <see cref="VerifyLimit"/> of the index's candidates (beyond that the total is a
/// lower bound). Relevance is BM25 with the title weighted 8× the body; for terms
/// that match more than <see cref="RankWindow"/> articles, the newest RankWindow are ranked and
/// the older ones follow newest first, so a query for 的 costs the same as one for 拜登.
/// Every statement is interrupted when the caller's token fires (a client gone, a time budget spent).
/// </summary>
public sealed partial class SearchEngine(Database db, bool cacheCounts = true, int verifyLimit = SearchEngine.VerifyLimit)
{
    public const int RankWindow = 1000;

    private readonly ISearchIndex _index = db.Index;

    /// <summary>
    /// Candidates checked against the text, at most: reading and folding one costs up to 0.2 ms
    /// (1.4 s for the 8k articles of the dev archive), so 2,000 stay well inside a second.
    /// </summary>
    // About 0.2 ms an article to check: a page and its facet counts stay well inside the 2 s budget.
    public const int VerifyLimit = 2_000;

    // Totals by SHA-256 of (index version, kind, expression, filters): the same for every page of
    // a query and for its facet counts, and the costliest part of a page for a common term on a
    // large archive. The version is the last queue entry the index applied, so any change to the
    // index, from this process or another, makes new keys. Hashed keys make every entry the same
    // small size, so the entry limit bounds the bytes.
    private readonly MemoryCache _counts = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    // Facet counts of recent searches: a few dozen outlets and periods each, so fewer entries.
    private readonly MemoryCache _facets = new(new MemoryCacheOptions { SizeLimit = 2_000 });

    private sealed record Count(long Total, bool LowerBound);

    public Task<SearchResult> SearchAsync(SearchRequest r, CancellationToken ct = default) =>
        SearchAsync(IndexPlan.Of(r.Query, r.Filter), r.Sort, r.Page, r.Size, null, ct);

    /// <summary>
    /// A page of a planned query, its hits' titles and snippets highlighted in the script
    /// <paramref name="script"/> gives for an article's language (as they are without one).
    /// </summary>
    public async Task<SearchResult> SearchAsync(IndexPlan plan, SearchSort sort, int page, int size, Func<string, ScriptTarget?>? script, CancellationToken ct = default)
    {
        if (plan.Query.Problem is { } problem)
        {
            return SearchResult.Refused(problem);
        }
        ct.ThrowIfCancellationRequested();
        using var c = db.Open();
        using var stop = StatementCancellation.Interrupt(c, ct);
        try
        {
            var offset = (page - 1) * size;
            var (total, keys) = plan.NeedsVerification
                ? Ready(Verified(c, plan, sort, offset, size, ct))
                : plan.Match is null
                    ? ExcludeOnly(c, plan, offset, size)
                    : Indexed(c, plan, sort, offset, size, ct);
            ct.ThrowIfCancellationRequested();
            var hits = ArticleStore.BySortKeys(c, keys).Select(a =>
            {
                var target = script?.Invoke(a.Language);
                return new SearchHit(a, Snippets.Highlight(a.Title, plan.Query, target: target), Snippets.Body(a, plan.Query, target));
            }).ToList();
            var count = await total;
            return new SearchResult(count.Total, hits, null, count.LowerBound);
        }
        catch (DbException e) when (ct.IsCancellationRequested && StatementCancellation.WasInterrupted(e))
        {
            throw new OperationCanceledException(ct);
        }
    }

    private static (Task<Count>, List<long>) Ready((Count Total, List<long> Keys) counted) => (Task.FromResult(counted.Total), counted.Keys);

    /// <summary>
    /// Only the numbers of matches of plans (the search page's counts by language): no ranking, no
    /// rows, no snippets, one after another on one connection of their own.
    /// </summary>
    public Task<List<long>> CountsAsync(IReadOnlyList<IndexPlan> plans, CancellationToken ct = default) =>
        OnItsOwn(c => plans.Select(p => p.Query.Problem is null ? Total(c, p, ct).Total : 0).ToList(), ct);

    /// <summary>
    /// Exact counts of the matches by outlet and by period (<paramref name="period"/> of a sort_key;
    /// null leaves a key out), from one pass over the matches on a connection of its own; null for a
    /// query the index does not answer alone (those need the text checked). Cached (<see cref="Grouped"/>)
    /// per <paramref name="grouping"/>, which names the grouping.
    /// </summary>
    public Task<FacetCounts?> FacetsAsync(IndexPlan plan, Func<long, int?> period, string grouping, CancellationToken ct = default)
    {
        if (plan.Query.Problem is not null || plan.NeedsVerification || plan.Match is not { } match)
        {
            return Task.FromResult<FacetCounts?>(null);
        }
        return Grouped<FacetCounts?>(plan, "facets", grouping, c =>
        {
            var rows = _index.OutletsOfMatches(c, match, plan.Min, plan.Max);
            var outlets = rows.CountBy(r => r.Outlet).OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => (x.Key, (long)x.Value)).ToList();
            var periods = rows.Select(r => period(r.SortKey)).OfType<int>().CountBy(p => p).OrderBy(x => x.Key)
                .Select(x => (x.Key, (long)x.Value)).ToList();
            return new FacetCounts(outlets, periods);
        }, ct);
    }

    /// <summary>
    /// A pass over a query's matches on a connection of its own, cached under the index's version
    /// (any change to the index makes new keys) and <paramref name="grouping"/>, which names how
    /// the pass groups: one pass over a common term's matches costs tens of milliseconds on 100k
    /// articles, and the next pages of a search need it again.
    /// </summary>
    private Task<T> Grouped<T>(IndexPlan plan, string kind, string grouping, Func<DbConnection, T> count, CancellationToken ct) =>
        OnItsOwn(own =>
        {
            var key = CountKey(own, plan, kind, grouping);
            if (key is not null && _facets.TryGetValue(key, out T? known))
            {
                return known!;
            }
            var counts = count(own);
            if (key is not null)
            {
                _facets.Set(key, counts, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
            }
            return counts;
        }, ct);

    /// <summary>Reads on a connection of their own, on the thread pool, interrupted when the token fires.</summary>
    private Task<T> OnItsOwn<T>(Func<DbConnection, T> read, CancellationToken ct) =>
        Task.Run(() =>
        {
            using var own = db.Open();
            using var stop = StatementCancellation.Interrupt(own, ct);
            return Interruptible(ct, () => read(own));
        }, ct);

    private string? CountKey(DbConnection c, IndexPlan p, string kind, string? check = null)
    {
        if (!cacheCounts)
        {
            return null;
        }
        var version = IndexStateStore.Version(c);
        var text = string.Join('\n', version, kind, p.Match, p.Exclude, p.Min, p.Max, p.Filter.Outlet, p.Filter.Language, check);
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
    private Task<Count> IndexedCount(DbConnection c, IndexPlan p, CancellationToken ct) =>
        Cached(CountKey(c, p, "indexed")) is { } count ? Task.FromResult(count) : OnItsOwn(own => IndexCount(own, p), ct);

    private Count IndexCount(DbConnection c, IndexPlan p)
    {
        var key = CountKey(c, p, "indexed");
        return Cached(key) ?? Remember(key, new Count(_index.Count(c, p.Match!, p.Min, p.Max), false));
    }

    /// <summary>The total of a plan, counted on the caller's connection.</summary>
    private Count Total(DbConnection c, IndexPlan p, CancellationToken ct) =>
        p.NeedsVerification ? Verified(c, p, SearchSort.Newest, 0, 0, ct).Total
            : p.Match is null ? ExcludedCount(c, p)
            : IndexCount(c, p);

    /// <summary>Related articles dated within this of an article come first.</summary>
    public static readonly TimeSpan RelatedNear = TimeSpan.FromDays(60);

    /// <summary>
    /// Articles whose titles share an article's title terms, by BM25: the rarest shared terms weigh
    /// most, so these are the articles about the same people, places and events. Those dated within
    /// <see cref="RelatedNear"/> of it come first (the same events, not a namesake of another year),
    /// then the best among the archive's newest matches.
    /// </summary>
    public IReadOnlyList<ArticleRow> Related(ArticleRow a, int count)
    {
        var tokens = Tokens.Tokenize(Folding.Fold(a.Title));
        var grams = tokens.Grams.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(Tokens.IsPair).Distinct().Take(24);
        var words = tokens.Words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3 && w != Tokens.Gap).Distinct().Take(12);
        // Titles against titles: far fewer candidates than the bodies, and the closest matches in topic.
        var parts = grams.Select(g => IndexQuery.Of(IndexColumns.TitleGrams, g))
            .Concat(words.Select(w => IndexQuery.Of(IndexColumns.TitleWords, w))).ToList();
        if (parts.Count == 0)
        {
            return [];
        }
        var match = IndexQuery.Any(parts);
        using var c = db.Open();
        var keys = new List<long>(count);
        if (a.PublishedAt is { } at)
        {
            var near = _index.Ranked(c, match, SortKeys.At(at - RelatedNear), SortKeys.At(at + RelatedNear), false, RankWindow, count + 1, 0);
            keys.AddRange(near.Where(k => k != a.SortKey).Take(count));
        }
        if (keys.Count < count)
        {
            // One more for each already chosen: they may be among these.
            var rest = _index.RankedExcept(c, match, a.SortKey, RankWindow * 2, count + keys.Count);
            keys.AddRange(rest.Except(keys).Take(count - keys.Count));
        }
        return ArticleStore.BySortKeys(c, keys);
    }

    private static T Interruptible<T>(CancellationToken ct, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DbException e) when (ct.IsCancellationRequested && StatementCancellation.WasInterrupted(e))
        {
            throw new OperationCanceledException(ct);
        }
    }

    private (Task<Count>, List<long>) Indexed(DbConnection c, IndexPlan p, SearchSort sort, int offset, int size, CancellationToken ct)
    {
        var total = IndexedCount(c, p, ct);
        var m = p.Match!;
        if (sort == SearchSort.Newest)
        {
            return (total, _index.Newest(c, m, p.Min, p.Max, size, offset));
        }
        // Rank the newest RankWindow matches in one pass; older ones follow, newest first.
        var keys = new List<long>(size);
        if (offset < RankWindow)
        {
            keys.AddRange(_index.Ranked(c, m, p.Min, p.Max, p.OneTerm, RankWindow, Math.Min(size, RankWindow - offset), offset));
        }
        if (keys.Count < size)
        {
            // Empty unless there are more than RankWindow matches; cheap when there are few.
            keys.AddRange(_index.Newest(c, m, p.Min, p.Max, size - keys.Count, RankWindow + Math.Max(0, offset - RankWindow)));
        }
        return (total, keys);
    }

    /// <summary>Articles in the filters that no exclusion finds.</summary>
    private (Task<Count>, List<long>) ExcludeOnly(DbConnection c, IndexPlan p, int offset, int size) =>
        Ready((ExcludedCount(c, p), ArticleStore.KeysOutside(c, p.Filter, _index, p.Exclude, size, offset)));

    private Count ExcludedCount(DbConnection c, IndexPlan p)
    {
        var key = CountKey(c, p, "excluded");
        return Cached(key) ?? Remember(key, new Count(ArticleStore.CountOutside(c, p.Filter, _index, p.Exclude), false));
    }

    /// <summary>
    /// The newest <see cref="verifyLimit"/> candidates from the index (or, with no term to narrow
    /// them, from the filters), each checked against its folded title and text; relevance ranks
    /// those candidates. With more candidates than that, the total is a lower bound. A known total
    /// (cached) lets the check stop once the page is full.
    /// </summary>
    private (Count Total, List<long> Keys) Verified(DbConnection c, IndexPlan p, SearchSort sort, int offset, int size, CancellationToken ct)
    {
        var checkGroups = p.Query.Groups.Where(IndexPlan.NeedsCheck).ToList();
        var key = CountKey(c, p, "verified", string.Join('\n', checkGroups));
        var known = Cached(key);
        var limit = verifyLimit + 1L;
        var candidates = p.Match is null
            ? ArticleStore.KeysOutside(c, p.Filter, _index, p.Exclude, limit, 0)
            : _index.Candidates(c, p.Match, p.Min, p.Max, sort == SearchSort.Relevance, p.OneTerm, limit);
        var lowerBound = candidates.Count > verifyLimit;
        if (lowerBound)
        {
            // The one past the limit, the oldest, only said there are more.
            candidates.Remove(candidates.Min());
        }
        var passed = Passing(c, candidates, checkGroups, ct).Take(known is null ? int.MaxValue : offset + size).ToList();
        var total = known ?? Remember(key, new Count(passed.Count, lowerBound));
        return (total, passed.Skip(offset).Take(size).ToList());
    }

    /// <summary>The candidates whose folded title and text hold every checked group, read 500 at a time.</summary>
    private static IEnumerable<long> Passing(DbConnection c, IEnumerable<long> candidates, List<TermGroup> checks, CancellationToken ct)
    {
        var titles = checks.Any(g => g.Any.Any(t => t.TitleOnly));
        foreach (var chunk in candidates.Chunk(500))
        {
            ct.ThrowIfCancellationRequested();
            var texts = ArticleStore.Texts(c, chunk);
            foreach (var k in chunk)
            {
                if (texts.TryGetValue(k, out var a)
                    && (Folding.Fold(a.Title + " " + a.Text), titles ? Folding.Fold(a.Title) : "") is var (folded, title)
                    && checks.All(g => IndexPlan.Holds(g, title, folded)))
                {
                    yield return k;
                }
            }
        }
    }
}
