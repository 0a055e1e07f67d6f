using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace NewsArchive.Web.Media;

/// <summary>
/// /media/load's own per-client bucket (<see cref="MediaOptions.LoadBurst"/>, then
/// <see cref="MediaOptions.LoadPerMinute"/>), apart from the page and search buckets: each load may
/// make the archive fetch. Clients by address, an IPv6 client by its /64 (one subscriber's
/// network). Loopback is not exempt: behind a proxy not named in Archive:KnownProxies all readers
/// share one bucket, which still bounds what they can make the archive fetch.
/// </summary>
public sealed class MediaLoadLimiter(IOptions<MediaOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _clients = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.Value.LoadBurst),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, options.Value.LoadPerMinute),
            QueueLimit = 0,
        }));

    /// <summary>Null when the client may load now, else the seconds until it may.</summary>
    public int? RetryAfter(IPAddress? client)
    {
        using var lease = _clients.AttemptAcquire(ClientKey(client));
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
    }

    /// <summary>The bucket's key: an IPv4 address (also when IPv4-mapped), or an IPv6 address's /64.</summary>
    public static string ClientKey(IPAddress? client)
    {
        if (client is null)
        {
            return "";
        }
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }
        if (client.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return client.ToString();
        }
        var bytes = client.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose() => _clients.Dispose();
}
