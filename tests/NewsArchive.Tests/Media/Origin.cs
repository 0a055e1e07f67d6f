using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NewsArchive.Tests.Media;

/// <summary>A real image host: a small Kestrel app on a free 127.0.0.1 port that counts the requests for each path.</summary>
public sealed class Origin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Origin(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, int> Requests { get; } = new();

    /// <summary>http://127.0.0.1:port</summary>
    public string Url { get; private set; } = "";

    public string HostPort => new Uri(Url).Authority;

    public int Total => Requests.Values.Sum();

    public static async Task<Origin> StartAsync(IReadOnlyDictionary<string, RequestDelegate> routes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var origin = new Origin(app);
        app.Use(async (ctx, next) =>
        {
            origin.Requests.AddOrUpdate(ctx.Request.Path.Value!, 1, (_, n) => n + 1);
            if (routes.TryGetValue(ctx.Request.Path.Value!, out var route))
            {
                await route(ctx);
            }
            else
            {
                await next();
            }
        });
        app.Run(ctx =>
        {
            ctx.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        origin.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return origin;
    }

    public int Count(string path) => Requests.GetValueOrDefault(path);

    public static RequestDelegate Bytes(byte[] bytes, string contentType) => async ctx =>
    {
        ctx.Response.ContentType = contentType;
        await ctx.Response.Body.WriteAsync(bytes);
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Tiny images of each type, written out byte by byte (each decodes in Chromium except the AVIF, a header only).</summary>
public static class Images
{
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    public static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
    public static readonly byte[] WebP = Convert.FromBase64String("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");

    /// <summary>A baseline 1×1 JPEG: SOI, a quantization table, a frame, a Huffman table, the scan, EOI.</summary>
    public static readonly byte[] Jpeg = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=");

    /// <summary>An AVIF file's type box (major brand avif, compatible avif mif1 miaf): what the sniffer reads.</summary>
    public static readonly byte[] Avif =
    [
        0, 0, 0, 0x1C, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'a', (byte)'v', (byte)'i', (byte)'f', 0, 0, 0, 0,
        (byte)'a', (byte)'v', (byte)'i', (byte)'f', (byte)'m', (byte)'i', (byte)'f', (byte)'1', (byte)'m', (byte)'i', (byte)'a', (byte)'f',
        0, 0, 0, 8, (byte)'f', (byte)'r', (byte)'e', (byte)'e',
    ];
}
