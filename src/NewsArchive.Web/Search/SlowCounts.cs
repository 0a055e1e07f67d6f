namespace NewsArchive.Web.Search;

/// <summary>
/// Counts too slow for one request's budget (a common term's total or its facets on a large
/// archive: 美国 matches 290k of 520k articles) finish on their own, under <see cref="Budget"/>,
/// and their cached result serves the next request; the request that started one answers without
/// it (a total that is a lower bound, no facets) instead of failing. One computation per key at a
/// time and at most <see cref="Slots"/> at once, so no number of requests makes more of this work.
/// </summary>
public sealed class SlowCounts
{
    /// <summary>How long a count may run once no request waits for it.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    /// <summary>Counts running at once: each holds a core and a connection.</summary>
    public const int Slots = 2;

    private readonly SemaphoreSlim _slots = new(Slots);
    private readonly Dictionary<string, Task> _running = [];

    /// <summary>
    /// The computation of <paramref name="key"/>: the one already running, or one started now on its
    /// own budget when a slot is free; null when none is free (the caller computes under its own budget).
    /// </summary>
    public Task<T>? Start<T>(string key, Func<CancellationToken, Task<T>> compute)
    {
        lock (_running)
        {
            if (_running.TryGetValue(key, out var running))
            {
                return (Task<T>)running;
            }
            if (!_slots.Wait(0))
            {
                return null;
            }
            var budget = new CancellationTokenSource(Budget);
            var task = compute(budget.Token);
            _running[key] = task;
            task.ContinueWith(_ =>
            {
                lock (_running)
                {
                    _running.Remove(key);
                }
                _slots.Release();
                budget.Dispose();
            }, TaskScheduler.Default);
            return task;
        }
    }

    /// <summary>
    /// What <paramref name="work"/> gives within <paramref name="wait"/>; default when it takes longer
    /// or failed on a budget of its own (a slow count's). A request's own cancellation still throws.
    /// </summary>
    public static async Task<T?> Within<T>(Task<T> work, TimeSpan wait, CancellationToken ct)
    {
        try
        {
            return await work.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is TimeoutException or OperationCanceledException or System.Data.Common.DbException)
        {
            return default;
        }
    }
}
