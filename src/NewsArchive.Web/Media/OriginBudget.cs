using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace NewsArchive.Web.Media;

/// <summary>
/// What the archive may send to one host (<see cref="MediaOptions.PerHostPerMinute"/>): a token
/// per request, whoever asks for it (the worker, a reader's load, a retry, a redirect's hop), so
/// no number of readers can make the archive flood an origin. By host, not port: one machine.
/// </summary>
public sealed class OriginBudget(IOptions<MediaOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _hosts = PartitionedRateLimiter.Create<string, string>(host =>
        options.Value.PerHostPerMinute is var perMinute and > 0
            ? RateLimitPartition.GetTokenBucketLimiter(host, _ => Bucket(perMinute))
            : RateLimitPartition.GetNoLimiter(host));

    // Refilled a token at a time (or a second's worth when that is more): periods of at least half a second.
    private static TokenBucketRateLimiterOptions Bucket(int perMinute)
    {
        var tokens = Math.Max(1, perMinute / 60);
        return new()
        {
            TokenLimit = perMinute,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) * tokens / perMinute,
            QueueLimit = 10_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
    }

    /// <summary>Waits for a token (the worker); false when too many wait already.</summary>
    public async ValueTask<bool> SpendAsync(Uri uri, CancellationToken ct)
    {
        using var lease = await _hosts.AcquireAsync(uri.IdnHost, 1, ct);
        return lease.IsAcquired;
    }

    /// <summary>Takes a token if one is there now (a reader's load, a retry): never waits.</summary>
    public bool TrySpend(Uri uri)
    {
        using var lease = _hosts.AttemptAcquire(uri.IdnHost);
        return lease.IsAcquired;
    }

    public void Dispose() => _hosts.Dispose();
}
