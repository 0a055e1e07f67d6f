using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace NewsArchive.Web.Site;

/// <summary>The "Archive" settings of a site on the internet: its public address and the proxies in front of it.</summary>
public sealed class PublicSiteOptions
{
    /// <summary>The site's public address (<c>https://example.org/archive/</c>); every absolute URL starts with it.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Proxies whose X-Forwarded-* headers are believed: addresses or CIDR networks.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>The base URL without its trailing slash, or null when none is set.</summary>
    public Uri? BaseUri => string.IsNullOrWhiteSpace(PublicBaseUrl) ? null : new Uri(PublicBaseUrl.TrimEnd('/') + "/", UriKind.Absolute);
}

/// <summary>
/// Who is at the other end of a request. "Local" is decided on the connection's own address, captured
/// before any forwarded header is applied, and never for a request a proxy forwarded (a known
/// proxy's forwarded headers are consumed by the middleware, so they are looked for first).
/// </summary>
public static class ClientAddress
{
    // Headers a proxy adds: a request carrying one came through a proxy, whatever its connection.
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-IP", "Via"];

    private static readonly object Key = new();

    public static void Capture(HttpContext ctx) =>
        ctx.Items[Key] = ctx.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            && !ProxyHeaders.Any(h => ctx.Request.Headers.ContainsKey(h));

    /// <summary>The machine itself: a loopback connection whose request no proxy forwarded.</summary>
    public static bool IsLocal(HttpContext ctx) => ctx.Items.TryGetValue(Key, out var local) && local is true;

    /// <summary>
    /// The client a rate limit counts: its address (a known proxy's forwarded one), an IPv6 address
    /// by its /64 (one subscriber's network holds 2^64 of them), IPv4-mapped IPv6 as IPv4.
    /// </summary>
    public static string Of(HttpContext ctx)
    {
        var ip = ctx.Connection.RemoteIpAddress;
        if (ip is null)
        {
            return "";
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

/// <summary>
/// Absolute URLs from <c>Archive:PublicBaseUrl</c> (never the request's Host once it is set),
/// X-Forwarded-* from <c>Archive:KnownProxies</c> only, AllowedHosts narrowed to the base URL's
/// host, and the base URL's path as the path base.
/// </summary>
public static class PublicUrls
{
    // Local probes (a health check from the machine itself) name the host they connect to.
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static void AddPublicUrls(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<PublicSiteOptions>(config.GetSection("Archive"));
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<PublicSiteOptions>>((o, site) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // The defaults trust loopback; only what the operator lists is trusted here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in site.Value.KnownProxies)
            {
                if (proxy.Contains('/'))
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                }
                else
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            }
            if (site.Value.BaseUri is { } b)
            {
                o.AllowedHosts = [b.Authority];
            }
        });
        services.PostConfigure<HostFilteringOptions>(o =>
        {
            var b = config.GetSection("Archive").Get<PublicSiteOptions>()?.BaseUri;
            if (b is not null && (o.AllowedHosts.Count == 0 || o.AllowedHosts.Contains("*")))
            {
                o.AllowedHosts = [b.Host, .. LoopbackHosts];
            }
        });
    }

    public static void UsePublicUrls(this WebApplication app)
    {
        app.Use((ctx, next) =>
        {
            ClientAddress.Capture(ctx);
            return next(ctx);
        });
        // With no proxy listed the headers are not read at all: with empty lists the middleware
        // would believe them from any address.
        if (app.Services.GetRequiredService<IOptions<PublicSiteOptions>>().Value.KnownProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }
        if (app.Services.GetRequiredService<IOptions<PublicSiteOptions>>().Value.BaseUri is { } b && b.AbsolutePath.Length > 1)
        {
            var pathBase = new PathString(b.AbsolutePath.TrimEnd('/'));
            app.UsePathBase(pathBase);
            // Outside the base path nothing is served, so no page exists at two addresses: the same
            // path under the base is where it lives (308 keeps the method).
            app.Use((ctx, next) =>
            {
                if (ctx.Request.PathBase.HasValue)
                {
                    return next(ctx);
                }
                ctx.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
                ctx.Response.Headers.Location = (pathBase + ctx.Request.Path + ctx.Request.QueryString).ToString();
                return Task.CompletedTask;
            });
        }
    }

    /// <summary>A path the site built (path base included) as an absolute URL on the site's public origin.</summary>
    public static string Absolute(HttpRequest r, string path) =>
        (BaseUri(r) is { } b ? b.GetLeftPart(UriPartial.Authority) : $"{r.Scheme}://{r.Host}") + path;

    /// <summary>The site's address without a trailing slash: the base URL when set, else the (forwarded) request's.</summary>
    public static string SiteUrl(HttpRequest r) =>
        BaseUri(r) is { } b ? b.AbsoluteUri.TrimEnd('/') : $"{r.Scheme}://{r.Host}{r.PathBase}";

    private static Uri? BaseUri(HttpRequest r) => r.HttpContext.RequestServices.GetRequiredService<IOptions<PublicSiteOptions>>().Value.BaseUri;
}
