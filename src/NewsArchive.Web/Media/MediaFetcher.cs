using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace NewsArchive.Web.Media;

/// <summary>
/// What one fetch gave: the bytes and their sniffed type, or why not (and whether trying later may
/// help); <see cref="Unsent"/> when nothing was sent at all (a reader's load over the host's budget).
/// </summary>
public sealed record FetchResult(byte[]? Bytes, string? ContentType, string? Error, bool Transient, bool Sent = true)
{
    public static readonly FetchResult Unsent = new(null, null, "not sent: the host's budget is spent", true, Sent: false);

    public static FetchResult Failed(string error, bool transient = false) => new(null, null, error, transient);
}

/// <summary>
/// Fetches one image URL so that it cannot be turned against the operator: http and https only,
/// every connection through <see cref="AddressFilter"/>, redirects followed here (at most
/// <see cref="MaxRedirects"/>, each one checked again), a size cap while streaming, the type from
/// the bytes, limits per host and overall, and each request paid from the host's
/// <see cref="OriginBudget"/>. Timeouts and retries with backoff are the resilience handler's
/// (<see cref="MediaServices.AddMedia"/>).
/// </summary>
public sealed class MediaFetcher(IHttpClientFactory clients, OriginBudget budget, IOptions<MediaOptions> options) : IDisposable
{
    public const string ClientName = "media";
    public const int MaxRedirects = 5;

    /// <summary>Set on a reader's request: it is sent once, never retried within the fetch.</summary>
    public static readonly HttpRequestOptionsKey<bool> ForReader = new("NewsArchive.Media.ForReader");

    private readonly MediaOptions _o = options.Value;

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<string, int>(_ => RateLimitPartition.GetConcurrencyLimiter(0, _ => Limit(options.Value.Concurrency))),
        PartitionedRateLimiter.Create<string, string>(host => RateLimitPartition.GetConcurrencyLimiter(host, _ => Limit(options.Value.PerHost))));

    private static ConcurrencyLimiterOptions Limit(int permits) =>
        new() { PermitLimit = Math.Max(1, permits), QueueLimit = 10_000, QueueProcessingOrder = QueueProcessingOrder.OldestFirst };

    /// <param name="reader">
    /// A reader's load: one request per hop, and none at all (<see cref="FetchResult.Unsent"/>) when
    /// the host's budget has no token now; the worker waits for its token instead.
    /// </param>
    public async Task<FetchResult> FetchAsync(string url, bool reader, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return FetchResult.Failed("refused: not an absolute URL");
        }
        var client = clients.CreateClient(ClientName);
        for (var hop = 0; ; hop++)
        {
            if (uri.Scheme is not ("http" or "https"))
            {
                return FetchResult.Failed($"refused: {uri.Scheme} is not http or https");
            }
            // The budget before the concurrency permits: a fetch waiting for its host's token holds none.
            if (!(reader ? budget.TrySpend(uri) : await budget.SpendAsync(uri, ct)))
            {
                return reader && hop == 0 ? FetchResult.Unsent : FetchResult.Failed($"over the budget of requests to {uri.IdnHost}", transient: true);
            }
            using var lease = await _limiter.AcquireAsync(uri.Authority, 1, ct);
            if (!lease.IsAcquired)
            {
                return FetchResult.Failed("too many fetches waiting", transient: true);
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Options.Set(ForReader, reader);
            request.Headers.UserAgent.ParseAdd(_o.UserAgent);
            request.Headers.Accept.ParseAdd("image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1");
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (Exception e) when (AddressFilter.RefusalIn(e) is { } refused)
            {
                return FetchResult.Failed(refused.Message);
            }
            catch (HttpRequestException e)
            {
                return FetchResult.Failed($"cannot fetch {uri.Authority}: {e.Message}", transient: true);
            }
            catch (TimeoutRejectedException)
            {
                return FetchResult.Failed($"timed out after {_o.TimeoutSeconds:0.#} s", transient: true);
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop == MaxRedirects)
                    {
                        return FetchResult.Failed($"refused: more than {MaxRedirects} redirects");
                    }
                    uri = new Uri(uri, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    return FetchResult.Failed($"HTTP {status}",
                        transient: status is >= 500 or (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests);
                }
                return await ReadAsync(response, ct);
            }
        }
    }

    private async Task<FetchResult> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var cap = _o.MaxBytes;
        if (response.Content.Headers.ContentLength > cap)
        {
            return FetchResult.Failed($"too big: {response.Content.Headers.ContentLength:N0} bytes, over the {cap:N0} cap");
        }
        // The resilience timeout ends with the headers; the body has a deadline of its own.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(_o.TimeoutSeconds));
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await body.ReadAsync(chunk, deadline.Token)) > 0)
            {
                if (buffer.Length + n > cap)
                {
                    return FetchResult.Failed($"too big: over the {cap:N0} byte cap");
                }
                buffer.Write(chunk, 0, n);
            }
            var bytes = buffer.ToArray();
            return ImageType.Sniff(bytes) is { } type
                ? new FetchResult(bytes, type, null, false)
                : FetchResult.Failed($"not an image: {ImageType.Describe(bytes)} (served as {response.Content.Headers.ContentType?.MediaType ?? "no type"})");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return FetchResult.Failed($"timed out after {_o.TimeoutSeconds:0.#} s reading the body", transient: true);
        }
        catch (HttpRequestException e)
        {
            return FetchResult.Failed($"cannot read the body: {e.Message}", transient: true);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
