using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;

namespace NewsArchive.Tests.Search;

/// <summary>
/// A count slower than a page's patience (a common term on a large archive) finishes on its own and
/// serves the next page; the page meanwhile says "at least". Such counts run one per query and at
/// most <see cref="SlowCounts.Slots"/> at once, whatever the number of requests.
/// </summary>
public sealed class SlowCountTests
{
    [Fact]
    public async Task One_count_runs_per_key_and_no_more_than_the_slots_at_once()
    {
        var slow = new SlowCounts();
        var gates = Enumerable.Range(0, SlowCounts.Slots).Select(_ => new TaskCompletionSource<int>()).ToList();
        var started = 0;
        var first = slow.Start("a", _ => { started++; return gates[0].Task; });
        Assert.Same(first, slow.Start("a", _ => { started++; return Task.FromResult(-1); }));
        for (var i = 1; i < SlowCounts.Slots; i++)
        {
            var gate = gates[i];
            Assert.NotNull(slow.Start($"k{i}", _ => { started++; return gate.Task; }));
        }
        Assert.Null(slow.Start("one too many", _ => { started++; return Task.FromResult(0); }));
        Assert.Equal(SlowCounts.Slots, started);

        // A finished count frees its slot (its continuation runs on the pool: wait for it with a deadline).
        gates[0].SetResult(7);
        Assert.Equal(7, await first!);
        Task<int>? next = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (next is null && DateTime.UtcNow < deadline)
        {
            next = slow.Start("next", _ => Task.FromResult(8));
            await Task.Delay(10);
        }
        Assert.Equal(8, await Assert.IsAssignableFrom<Task<int>>(next));
        gates.Skip(1).ToList().ForEach(g => g.SetResult(0));
    }

    [Fact]
    public async Task Within_gives_up_on_a_late_or_failed_count_but_not_on_the_request_s_own_cancel()
    {
        var never = new TaskCompletionSource<int>().Task;
        Assert.Equal(0, await SlowCounts.Within(never, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(0, await SlowCounts.Within(Task.FromCanceled<int>(new CancellationToken(true)), TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(5, await SlowCounts.Within(Task.FromResult(5), TimeSpan.Zero, CancellationToken.None));
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SlowCounts.Within(never, TimeSpan.FromSeconds(1), gone.Token));
    }

}

/// <summary>The same through the engine, over the dev archive.</summary>
[Collection(DevCorpusCollection.Name)]
public sealed class SlowCountPageTests(DevCorpusDb dev)
{
    [CorpusFact]
    public async Task A_page_that_cannot_wait_says_at_least_and_a_later_page_has_the_exact_total()
    {
        var exact = (await new SearchEngine(dev.Db, cacheCounts: false).SearchAsync(Request("美国"))).Total;
        Assert.True(exact > 100);
        var engine = new SearchEngine(dev.Db);
        var plan = IndexPlan.Of(SearchQuery.Parse("美国"), new ArticleFilter());
        var first = await engine.SearchAsync(plan, SearchSort.Newest, 1, 20, null, default, patience: TimeSpan.Zero);
        Assert.Equal(20, first.Hits.Count);
        // The count may have finished before the page did; if not, the page says at least one more than it shows.
        Assert.True(first.TotalIsLowerBound ? first.Total == 21 : first.Total == exact, $"{first.Total} {first.TotalIsLowerBound}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        SearchResult later;
        do
        {
            later = await engine.SearchAsync(plan, SearchSort.Newest, 2, 20, null, default, patience: TimeSpan.Zero);
        }
        while (later.TotalIsLowerBound && DateTime.UtcNow < deadline && await Delay());
        Assert.False(later.TotalIsLowerBound);
        Assert.Equal(exact, later.Total);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(20);
        return true;
    }

    private static SearchRequest Request(string q) => new(SearchQuery.Parse(q), new ArticleFilter(), SearchSort.Newest, 1, 20);
}
