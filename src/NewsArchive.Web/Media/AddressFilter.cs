using System.Net;
using System.Net.Sockets;

namespace NewsArchive.Web.Media;

/// <summary>A fetch the address filter refused; never retried.</summary>
public sealed class MediaRefusedException(string reason) : IOException(reason);

/// <summary>
/// Where the fetcher may connect: the name is resolved once, here, and the socket connects to that
/// address, so a DNS answer cannot change between the check and the connection. Loopback, private,
/// link-local, multicast and reserved addresses (IPv4-mapped and NAT64 forms of them too) are refused
/// unless <c>host:port</c> is in <see cref="MediaOptions.Allow"/>.
/// </summary>
public static class AddressFilter
{
    private static readonly (IPNetwork Network, string What)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "reserved"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.0.2.0/24"), "reserved (documentation)"),
        (IPNetwork.Parse("192.88.99.0/24"), "reserved (6to4 relay)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved (benchmarking)"),
        (IPNetwork.Parse("198.51.100.0/24"), "reserved (documentation)"),
        (IPNetwork.Parse("203.0.113.0/24"), "reserved (documentation)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
        (IPNetwork.Parse("2001::/23"), "reserved (IETF protocol assignments, Teredo)"),
        (IPNetwork.Parse("2001:db8::/32"), "reserved (documentation)"),
        (IPNetwork.Parse("2002::/16"), "reserved (6to4)"),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>Why this address may not be fetched, or null when it may.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Refusal(address.MapToIPv4());
        }
        if (Nat64.Contains(address))
        {
            return Refusal(new IPAddress(address.GetAddressBytes()[12..]));
        }
        foreach (var (network, what) in Refused)
        {
            if (network.Contains(address))
            {
                return what;
            }
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6 && !GlobalUnicast.Contains(address) ? "reserved" : null;
    }

    /// <summary>The SocketsHttpHandler.ConnectCallback that applies the filter.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(IEnumerable<string> allow)
    {
        var allowed = new HashSet<string>(allow, StringComparer.OrdinalIgnoreCase);
        return async (context, ct) =>
        {
            var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            if (addresses.Length == 0)
            {
                throw new MediaRefusedException($"{host} has no address");
            }
            var address = allowed.Contains($"{host}:{port}") ? addresses[0] : addresses.FirstOrDefault(a => Refusal(a) is null)
                ?? throw new MediaRefusedException($"refused: {host}:{port} is {Refusal(addresses[0])} ({addresses[0]}) and not in Archive:Media:Allow");
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
    }

    /// <summary>The refusal inside a failed request, if that is why it failed.</summary>
    public static MediaRefusedException? RefusalIn(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is MediaRefusedException r)
            {
                return r;
            }
        }
        return null;
    }
}
