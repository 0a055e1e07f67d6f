using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Search;

/// <summary>What researchers read from the engine beside a page of results: counts by outlet and period (trends), and the whole result list (exports).</summary>
public sealed partial class SearchEngine
{
    /// <summary>
    /// The matches counted by outlet and period together (<paramref name="period"/> of a sort_key;
    /// null leaves a match out), from one pass over the index's matches, cached like the facets. A
    /// query that needs the text checked has its newest <see cref="verifyLimit"/> candidates checked
    /// (as a search's total does); with more candidates, the counts are exact only from the oldest
    /// checked one on (<see cref="MatchCells.ExactFrom"/>) and lower bounds before. Null for a query
    /// with no term the index can find (only exclusions).
    /// </summary>
    public Task<MatchCells?> CellsAsync(SearchQuery q, ArticleFilter f, Func<long, int?> period, string grouping, CancellationToken ct = default)
    {
        var plan = IndexPlan.Of(q, f);
        if (q.Problem is not null || plan.Match is not { } match)
        {
            return Task.FromResult<MatchCells?>(null);
        }
        var checks = q.Groups.Where(IndexPlan.NeedsCheck).ToList();
        return Grouped<MatchCells?>(plan, "cells", grouping + "\n" + string.Join('\n', checks), c =>
        {
            var rows = _index.OutletsOfMatches(c, match, plan.Min, plan.Max);
            long? exactFrom = null;
            if (checks.Count > 0)
            {
                rows.Sort((a, b) => b.SortKey.CompareTo(a.SortKey));
                if (rows.Count > verifyLimit)
                {
                    exactFrom = rows[verifyLimit - 1].SortKey;
                    rows.RemoveRange(verifyLimit, rows.Count - verifyLimit);
                }
                var passed = Passing(c, rows.Select(r => r.SortKey), checks, ct).ToHashSet();
                rows.RemoveAll(r => !passed.Contains(r.SortKey));
            }
            var cells = rows.Select(r => (r.Outlet, Period: period(r.SortKey))).Where(x => x.Period is not null)
                .CountBy(x => (x.Outlet, Period: x.Period!.Value)).Select(x => (x.Key.Outlet, x.Key.Period, (long)x.Value)).ToList();
            return new MatchCells(cells, exactFrom);
        }, ct);
    }

    /// <summary>Keys read per statement when a whole result list is read (<see cref="All"/>).</summary>
    public const int ListPage = 1000;

    /// <summary>
    /// The whole result list of a search in its order, at most <paramref name="limit"/> rows (with up
    /// to <paramref name="textChars"/> of their text), read a page of <see cref="ListPage"/> keys at a
    /// time on one connection, so the caller can write each page before the next is read. Newest-first
    /// pages continue below the last key read (each costs what the first does, however deep);
    /// relevance ranks the newest <see cref="RankWindow"/> as the pages do and the older follow newest
    /// first; a query that needs the text check lists what the check of its newest
    /// <see cref="VerifyLimit"/> candidates found (its total is then a lower bound).
    /// </summary>
    public IEnumerable<IReadOnlyList<ArticleRow>> All(SearchQuery q, ArticleFilter f, SearchSort sort, int limit, int textChars, CancellationToken ct)
    {
        if (q.Problem is not null)
        {
            yield break;
        }
        using var c = db.Open();
        using var stop = StatementCancellation.Interrupt(c, ct);
        var left = limit;
        foreach (var keys in KeyPages(c, IndexPlan.Of(q, f), sort, ct))
        {
            var page = keys.Take(left).ToList();
            ct.ThrowIfCancellationRequested();
            yield return Interruptible(ct, () => ArticleStore.BySortKeys(c, page, textChars));
            left -= page.Count;
            if (left <= 0)
            {
                yield break;
            }
        }
    }

    private IEnumerable<List<long>> KeyPages(DbConnection c, IndexPlan p, SearchSort sort, CancellationToken ct)
    {
        if (p.NeedsVerification)
        {
            foreach (var chunk in Interruptible(ct, () => Verified(c, p, sort, 0, verifyLimit, ct).Keys).Chunk(ListPage))
            {
                yield return [.. chunk];
            }
            yield break;
        }
        if (p.Match is not { } m)
        {
            // Only exclusions (rare): the articles table's own order, by offset.
            for (var offset = 0; ; offset += ListPage)
            {
                var outside = Interruptible(ct, () => ArticleStore.KeysOutside(c, p.Filter, _index, p.Exclude, ListPage, offset));
                if (outside.Count == 0)
                {
                    yield break;
                }
                yield return outside;
            }
        }
        var max = p.Max;
        if (sort == SearchSort.Relevance)
        {
            var ranked = Interruptible(ct, () => _index.Ranked(c, m, p.Min, p.Max, p.OneTerm, RankWindow, RankWindow, 0));
            yield return ranked;
            if (ranked.Count < RankWindow)
            {
                yield break;
            }
            max = ranked.Min() - 1;
        }
        while (true)
        {
            var keys = Interruptible(ct, () => _index.Newest(c, m, p.Min, max, ListPage, 0));
            if (keys.Count == 0)
            {
                yield break;
            }
            yield return keys;
            max = keys[^1] - 1;
        }
    }
}
