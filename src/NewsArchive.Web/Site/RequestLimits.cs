using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;

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

/// <summary>What a request to an endpoint costs, from its metadata (no metadata: a page).</summary>
public enum RequestCost
{
    Page,
    Search,
    Api,
    Free,
}

/// <summary>
/// Endpoint metadata naming its cost: read after routing, so no spelling of a path (case, a
/// trailing slash, a path base) escapes the limit its endpoint has. Every endpoint that searches
/// carries <see cref="RequestCost.Search"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequestCostAttribute(RequestCost cost) : Attribute
{
    public RequestCost Cost { get; } = cost;
}

/// <summary>
/// What a request may cost: per-client token buckets (configurable), concurrency limits on
/// searches and on everything else (always), and a time limit on every request that includes its
/// wait in a queue. /healthz, the status pages and static files are never limited. Rejections are
/// 429 (rate) or 503 (busy, or queued past the request's budget) with Retry-After.
/// </summary>
public static class RequestLimits
{
    /// <summary>Searches running at once; more wait in a queue (16 per permit), then get a 503.</summary>
    public static readonly int ConcurrentSearches = 2 * Environment.ProcessorCount;

    public static readonly int ConcurrentOthers = 16 * Environment.ProcessorCount;

    /// <summary>No request runs longer than this (a search gives up sooner, at <see cref="SearchBudget.Time"/>).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Per-client buckets are this many at most: a client's key is hashed into one of them (with the
    /// process's random string hash, so no client can aim at another's), so a flood of new addresses
    /// shares buckets instead of growing the table.
    /// </summary>
    public const int ClientBuckets = 1 << 16;

    public static RequestCost CostOf(HttpContext ctx)
    {
        var metadata = ctx.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<RequestCostAttribute>() is { } cost)
        {
            return cost.Cost;
        }
        // The status pages run again inside a request that was already counted (endpoint cleared).
        return ctx.Request.Path.StartsWithSegments("/status", StringComparison.Ordinal)
            || metadata?.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null
            || metadata?.GetMetadata<Microsoft.AspNetCore.RateLimiting.DisableRateLimitingAttribute>() is not null
            ? RequestCost.Free : RequestCost.Page;
    }

    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        });
        // Built once from the app's configuration as finally composed.
        services.AddSingleton(sp =>
        {
            var rates = sp.GetRequiredService<IConfiguration>().GetSection("Archive:RateLimits").Get<RateLimitOptions>() ?? new();
            return new Limiters(rates, PerClient(rates), Concurrency(ConcurrentSearches), Concurrency(ConcurrentOthers));
        });
        return services;
    }

    private sealed record Limiters(RateLimitOptions Rates, PartitionedRateLimiter<HttpContext> PerClient,
        ConcurrencyLimiter Searches, ConcurrencyLimiter Others);

    /// <summary>
    /// After routing (the cost is the endpoint's) and the request timeout (a queued request's wait
    /// is part of its time): the client's bucket, then a place among the requests running at once.
    /// </summary>
    public static void UseRequestLimits(this WebApplication app)
    {
        var limiters = app.Services.GetRequiredService<Limiters>();
        app.UseRequestTimeouts();
        app.Use(async (ctx, next) =>
        {
            var cost = CostOf(ctx);
            SearchBudget.Arrived(ctx);
            // Every "busy" answer says when to come back: the limits' own, a search past its budget, the request timeout's.
            ctx.Response.OnStarting(() =>
            {
                if (ctx.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && ctx.Response.Headers.RetryAfter.Count == 0)
                {
                    ctx.Response.Headers.RetryAfter = "1";
                }
                return Task.CompletedTask;
            });
            if (cost == RequestCost.Free)
            {
                await next(ctx);
                return;
            }
            if (limiters.Rates.Enabled && !(limiters.Rates.ExemptLoopback && ClientAddress.IsLocal(ctx)))
            {
                using var rate = limiters.PerClient.AttemptAcquire(ctx);
                if (!rate.IsAcquired)
                {
                    var after = rate.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                    await RejectAsync(ctx, StatusCodes.Status429TooManyRequests, after);
                    return;
                }
            }
            RateLimitLease lease;
            // A search's wait counts against its budget (SearchBudget.Start takes the rest); anything
            // else's against the request timeout.
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted))
            {
                wait.CancelAfter(cost == RequestCost.Search ? SearchBudget.Time : RequestTimeout);
                try
                {
                    lease = await (cost == RequestCost.Search ? limiters.Searches : limiters.Others).AcquireAsync(1, wait.Token);
                }
                catch (OperationCanceledException)
                {
                    await RejectAsync(ctx, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1));
                    return;
                }
            }
            using (lease)
            {
                if (!lease.IsAcquired)
                {
                    await RejectAsync(ctx, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1));
                    return;
                }
                await next(ctx);
            }
        });
    }

    // A queued request holds no thread, only its connection: searches take milliseconds, so a burst of
    // readers (wrk's 32 connections, a crowd after a link is shared) waits its turn instead of a 503.
    private static ConcurrencyLimiter Concurrency(int permits) =>
        new(new() { PermitLimit = permits, QueueLimit = 16 * permits, QueueProcessingOrder = QueueProcessingOrder.OldestFirst });

    private static PartitionedRateLimiter<HttpContext> PerClient(RateLimitOptions rates) =>
        PartitionedRateLimiter.Create<HttpContext, (int, bool)>(ctx =>
        {
            var pages = CostOf(ctx) == RequestCost.Page;
            var bucket = (int)((uint)ClientAddress.Of(ctx).GetHashCode() % ClientBuckets);
            return RateLimitPartition.GetTokenBucketLimiter((bucket, pages), _ => new TokenBucketRateLimiterOptions
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
    private static async Task RejectAsync(HttpContext ctx, int status, TimeSpan after)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        ctx.Response.StatusCode = status;
        ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await ctx.Response.WriteAsJsonAsync(new ErrorJson(status == StatusCodes.Status429TooManyRequests
                ? $"too many requests; retry after {seconds} s"
                : $"the server is busy; retry after {seconds} s"));
        }
    }
}
