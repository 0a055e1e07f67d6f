using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;

namespace NewsArchive.Web.Site;

/// <summary>Configuration section "Archive:RateLimits": per-client limits, by remote address.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Off for benchmarks, load tests and trusted networks; concurrency limits and time budgets still apply.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Searches and API requests per client per minute, and how many may come at once.</summary>
    public int PermitsPerMinute { get; set; } = 120;

    public int Burst { get; set; } = 30;

    /// <summary>Other pages and feeds, per client: looser, a reader clicks through many.</summary>
    public int PagePermitsPerMinute { get; set; } = 600;

    public int PageBurst { get; set; } = 120;

    /// <summary>
    /// Loopback clients are not limited per client: the operator's own tools, and a reverse proxy on
    /// the same host, behind which every reader would otherwise share one loopback bucket.
    /// </summary>
    public bool ExemptLoopback { get; set; } = true;
}

/// <summary>
/// What a request may cost: per-client token buckets (configurable), concurrency limits on
/// searches and on everything else (always), and a time limit on every request. /healthz and
/// static files are never limited. Rejections are 429 (rate) or 503 (busy) with Retry-After.
/// </summary>
public static class RequestLimits
{
    /// <summary>Searches running at once; more wait in a queue (16 per permit), then get a 503.</summary>
    public static readonly int ConcurrentSearches = 2 * Environment.ProcessorCount;

    public static readonly int ConcurrentOthers = 16 * Environment.ProcessorCount;

    /// <summary>No request runs longer than this (a search gives up sooner, at <see cref="SearchBudget.Time"/>).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private enum Kind
    {
        Free,
        Search,
        Api,
        Page,
    }

    private static Kind KindOf(HttpRequest r) => (r.Path.Value ?? "") switch
    {
        "/healthz" => Kind.Free,
        "/search" or "/api/search" => Kind.Search,
        var p when p.StartsWith("/status/", StringComparison.Ordinal) || r.HttpContext.GetEndpoint()?.Metadata
            .GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null => Kind.Free,
        var p when p.StartsWith("/api/", StringComparison.Ordinal) => Kind.Api,
        _ => Kind.Page,
    };

    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        });
        services.AddRateLimiter(_ => { });
        // Read when the limiter is built, from the app's configuration as finally composed.
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, config) =>
        {
            var rates = config.GetSection("Archive:RateLimits").Get<RateLimitOptions>() ?? new();
            var busy = PartitionedRateLimiter.Create<HttpContext, Kind>(ctx => KindOf(ctx.Request) switch
            {
                Kind.Free => RateLimitPartition.GetNoLimiter(Kind.Free),
                Kind.Search => RateLimitPartition.GetConcurrencyLimiter(Kind.Search, _ => Concurrency(ConcurrentSearches)),
                var kind => RateLimitPartition.GetConcurrencyLimiter(kind, _ => Concurrency(ConcurrentOthers)),
            });
            o.GlobalLimiter = rates.Enabled ? PartitionedRateLimiter.CreateChained(PerClient(rates), busy) : busy;
            o.OnRejected = Rejected;
        });
        return services;
    }

    // A queued request holds no thread, only its connection: searches take milliseconds, so a burst of
    // readers (wrk's 32 connections, a crowd after a link is shared) waits its turn instead of a 503.
    private static ConcurrencyLimiterOptions Concurrency(int permits) =>
        new() { PermitLimit = permits, QueueLimit = 16 * permits, QueueProcessingOrder = QueueProcessingOrder.OldestFirst };

    private static PartitionedRateLimiter<HttpContext> PerClient(RateLimitOptions rates) =>
        PartitionedRateLimiter.Create<HttpContext, (string?, bool)>(ctx =>
        {
            var kind = KindOf(ctx.Request);
            if (kind == Kind.Free || (rates.ExemptLoopback && ctx.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip)))
            {
                return RateLimitPartition.GetNoLimiter<(string?, bool)>((null, false));
            }
            var pages = kind == Kind.Page;
            return RateLimitPartition.GetTokenBucketLimiter<(string?, bool)>((ctx.Connection.RemoteIpAddress?.ToString() ?? "", pages), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, pages ? rates.PageBurst : rates.Burst),
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, pages ? rates.PagePermitsPerMinute : rates.PermitsPerMinute),
                QueueLimit = 0,
            });
        });

    /// <summary>
    /// 429 when the client's bucket is empty, 503 when the server is busy; the API answers JSON,
    /// pages get the localized status page (the status code pages re-run /status/{code}, never limited).
    /// </summary>
    private static async ValueTask Rejected(OnRejectedContext rejected, CancellationToken ct)
    {
        var ctx = rejected.HttpContext;
        var rate = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after);
        var seconds = rate ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        ctx.Response.StatusCode = rate ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
        ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            await ctx.Response.WriteAsJsonAsync(new ErrorJson(rate
                ? $"too many requests; retry after {seconds} s"
                : $"the server is busy; retry after {seconds} s"), ct);
        }
    }
}
