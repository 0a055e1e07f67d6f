using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Site;

/// <summary>
/// HEAD on every GET route of the app (read from its EndpointDataSource, so a new route is
/// covered without touching this test) answers like GET: the same status and headers, and no
/// body on the wire (read from a raw socket on a real Kestrel port).
/// </summary>
public sealed class HeadRequestTests : IDisposable
{
    private readonly AppFactory _factory = new(TestData.Seeds);

    // The headers a cache or a crawler acts on; Date and the like may differ between two requests.
    // Content-Length is compared where HEAD sends one (RFC 9110 lets it leave it out, as static files do).
    private static readonly string[] Compared =
        ["content-type", "etag", "last-modified", "cache-control", "location", "content-security-policy", "retry-after"];

    [Fact]
    public async Task Head_answers_like_get_on_every_get_route()
    {
        _factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await _factory.WaitForIngestAsync();
        using var client = new HttpClient { BaseAddress = address };
        var first = (await client.GetFromJsonAsync<JsonElement>("/api/articles")).GetProperty("results")[0];
        var values = new Dictionary<string, string>
        {
            ["id"] = first.GetProperty("id").GetString()!,
            ["hash"] = new string('a', 64),
            ["part"] = "1",
            ["code"] = "404",
            ["year"] = "2024",
            ["month"] = "6",
            ["day"] = "19",
            ["n"] = "1",
        };
        // Query strings that make the answer a real one rather than a 400.
        var queries = new Dictionary<string, string>
        {
            ["/api/search"] = "?q=" + Uri.EscapeDataString("普京"),
            ["/api/articles/lookup"] = "?url=" + Uri.EscapeDataString(first.GetProperty("url").GetString()!),
            ["/search"] = "?q=" + Uri.EscapeDataString("普京"),
        };
        var paths = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } m || m.HttpMethods.Contains("GET"))
            .Select(e => Path(e.RoutePattern, values))
            .Distinct()
            .Select(p => p + queries.GetValueOrDefault(p, ""))
            .ToList();
        foreach (var must in new[] { "/feed.atom", "/sitemap.xml", "/robots.txt", "/healthz", "/api/articles", "/", "/search?q=" })
        {
            Assert.Contains(paths, p => p.StartsWith(must, StringComparison.Ordinal) && (must != "/" || p == "/"));
        }
        var ok = 0;
        foreach (var path in paths)
        {
            var get = await Raw(address, "GET", path);
            var head = await Raw(address, "HEAD", path);
            Assert.True(get.Status == head.Status, $"{path}: GET {get.Status}, HEAD {head.Status}");
            foreach (var name in Compared)
            {
                Assert.True(get.Headers.GetValueOrDefault(name) == head.Headers.GetValueOrDefault(name),
                    $"{path}: {name} is '{get.Headers.GetValueOrDefault(name)}' on GET, '{head.Headers.GetValueOrDefault(name)}' on HEAD");
            }
            Assert.True(!head.Headers.TryGetValue("content-length", out var length) || length == get.Headers.GetValueOrDefault("content-length"),
                $"{path}: Content-Length {length} on HEAD");
            Assert.True(head.Body.Length == 0, $"{path}: HEAD sent {head.Body.Length} bytes of body");
            ok += head.Status == 200 ? 1 : 0;
        }
        foreach (var path in new[] { "/feed.atom", "/sitemap.xml", "/robots.txt", "/healthz", "/api/articles", "/feeds" })
        {
            Assert.Equal(200, (await Raw(address, "HEAD", path)).Status);
        }
        Assert.True(ok >= 10, $"only {ok} routes answered 200");
    }

    /// <summary>A route pattern with each parameter given a value (optional ones left out).</summary>
    private static string Path(RoutePattern pattern, Dictionary<string, string> values)
    {
        var segments = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = new StringBuilder();
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        text.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart p when values.TryGetValue(p.Name, out var v):
                        text.Append(v);
                        break;
                    case RoutePatternParameterPart p when p.IsOptional || p.IsCatchAll:
                        break;
                    case RoutePatternParameterPart p:
                        throw new InvalidOperationException($"no test value for the route parameter {p.Name} of {pattern.RawText}");
                }
            }
            if (text.Length > 0)
            {
                segments.Add(text.ToString());
            }
        }
        return "/" + string.Join('/', segments);
    }

    private sealed record Answer(int Status, Dictionary<string, string> Headers, byte[] Body);

    /// <summary>One request on its own connection, read to its close: what the server put on the wire.</summary>
    private static async Task<Answer> Raw(Uri address, string method, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var request = $"{method} {new Uri(address, path).PathAndQuery} HTTP/1.1\r\nHost: {address.Authority}\r\nAccept-Language: en\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var all = new MemoryStream();
        await stream.CopyToAsync(all);
        var bytes = all.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var lines = Encoding.UTF8.GetString(bytes, 0, end).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).GroupBy(h => h[0].ToLowerInvariant())
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h[1].Trim())));
        return new Answer(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, bytes[(end + 4)..]);
    }

    public void Dispose() => _factory.Dispose();
}
