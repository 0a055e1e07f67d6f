using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace NewsArchive.Tests.Media;

/// <summary>
/// The background fetcher against a real origin on 127.0.0.1: each image type stored and served
/// from /media/{hash}, each bad answer failed with its reason, and the article pointing at the copies.
/// </summary>
public sealed class FetchTests
{
    private static readonly Dictionary<string, (byte[] Bytes, string Type)> Good = new()
    {
        ["/a.jpg"] = (Images.Jpeg, "image/jpeg"),
        ["/a.png"] = (Images.Png, "image/png"),
        ["/a.gif"] = (Images.Gif, "image/gif"),
        ["/a.webp"] = (Images.WebP, "image/webp"),
        // Served under a misleading name and type: the bytes decide.
        ["/avif.bin"] = (Images.Avif, "image/avif"),
    };

    [Fact]
    public async Task Good_images_are_stored_and_served_and_each_bad_one_fails_with_its_reason()
    {
        await using var elsewhere = await Origin.StartAsync(new Dictionary<string, RequestDelegate> { ["/x.png"] = Origin.Bytes(Images.Png, "image/png") });
        var flaky = 0;
        var routes = Good.ToDictionary(g => g.Key, g => Origin.Bytes(g.Value.Bytes, "application/octet-stream"));
        routes["/redirect.png"] = ctx =>
        {
            ctx.Response.Redirect(elsewhere.Url + "/x.png");
            return Task.CompletedTask;
        };
        routes["/loop.png"] = ctx =>
        {
            ctx.Response.Redirect("/loop.png");
            return Task.CompletedTask;
        };
        routes["/slow.png"] = async ctx =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ctx.RequestAborted);
            await Origin.Bytes(Images.Png, "image/png")(ctx);
        };
        routes["/big.jpg"] = async ctx =>
        {
            // No Content-Length: the cap must hold while streaming.
            ctx.Response.ContentType = "image/jpeg";
            await ctx.Response.Body.WriteAsync(Images.Jpeg.AsMemory(0, 4));
            var chunk = new byte[1 << 20];
            for (var i = 0; i < 11 && !ctx.RequestAborted.IsCancellationRequested; i++)
            {
                await ctx.Response.Body.WriteAsync(chunk);
            }
        };
        routes["/page.jpg"] = Origin.Bytes("<!DOCTYPE html><html><body>Not found</body></html>"u8.ToArray(), "image/jpeg");
        routes["/logo.png"] = Origin.Bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "image/png");
        routes["/flaky.png"] = async ctx =>
        {
            if (Interlocked.Increment(ref flaky) == 1)
            {
                ctx.Response.StatusCode = 503;
                return;
            }
            await Origin.Bytes(Images.Png, "image/png")(ctx);
        };
        await using var origin = await Origin.StartAsync(routes);

        var paths = Good.Keys.Concat(["/missing.png", "/redirect.png", "/loop.png", "/slow.png", "/big.jpg", "/page.jpg", "/logo.png", "/flaky.png"]).ToList();
        using var app = new MediaApp(MediaApp.Article([.. paths.Select(p => origin.Url + p)]), new Dictionary<string, string>
        {
            ["Allow:0"] = origin.HostPort,
            ["TimeoutSeconds"] = "1",
            ["Retries"] = "1",
            ["RetryDelayMilliseconds"] = "50",
        });
        var client = app.Factory.CreateClient();
        var rows = await app.SettledAsync(client, paths.Count);

        foreach (var (path, (bytes, type)) in Good)
        {
            var row = rows[origin.Url + path];
            Assert.True(row.State == "stored", $"{path}: {row.State} {row.LastError}");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), row.Hash);
            Assert.Equal(type, row.ContentType);
            Assert.Equal(1, origin.Count(path));

            var r = await client.GetAsync("/media/" + row.Hash);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(type, r.Content.Headers.ContentType!.MediaType);
            Assert.Equal(bytes, await r.Content.ReadAsByteArrayAsync());
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("public, max-age=31536000, immutable", r.Headers.CacheControl!.ToString());
            Assert.Equal($"\"{row.Hash}\"", r.Headers.ETag!.Tag);

            using var again = new HttpRequestMessage(HttpMethod.Get, "/media/" + row.Hash);
            again.Headers.IfNoneMatch.ParseAdd($"\"{row.Hash}\"");
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        }

        string Reason(string path) => rows[origin.Url + path] is { State: "failed" } f ? f.LastError! : $"not failed: {rows[origin.Url + path].State}";
        Assert.StartsWith("HTTP 404", Reason("/missing.png"));
        Assert.Contains("refused", Reason("/redirect.png"));
        Assert.Contains("loopback", Reason("/redirect.png"));
        Assert.Contains(elsewhere.HostPort, Reason("/redirect.png"));
        Assert.Equal(0, elsewhere.Total);
        Assert.Equal("refused: more than 5 redirects", Reason("/loop.png"));
        Assert.Equal(6, origin.Count("/loop.png"));
        Assert.StartsWith("timed out after 1 s", Reason("/slow.png"));
        Assert.StartsWith("too big", Reason("/big.jpg"));
        Assert.StartsWith("not an image: HTML", Reason("/page.jpg"));
        Assert.StartsWith("not an image: SVG", Reason("/logo.png"));
        // A 503 is retried by the resilience handler within the same fetch.
        Assert.Equal("stored", rows[origin.Url + "/flaky.png"].State);
        Assert.Equal(2, origin.Count("/flaky.png"));
        // Permanent failures wait for `media --retry`; a timeout is tried again later.
        Assert.Null(rows[origin.Url + "/missing.png"].NextAttempt);
        Assert.NotNull(rows[origin.Url + "/slow.png"].NextAttempt);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/media/" + new string('0', 64))).StatusCode);

        // The article points at the copies; what failed is a placeholder that tries its origin (Remote=load).
        var html = await client.GetStringAsync(await MediaApp.PermalinkAsync(client));
        foreach (var path in Good.Keys.Append("/flaky.png"))
        {
            Assert.Contains($"src=\"/media/{rows[origin.Url + path].Hash}\"", html);
            Assert.DoesNotContain($"src=\"{origin.Url}{path}\"", html);
        }
        Assert.Contains($"data-remote=\"{origin.Url}/missing.png\"", html);
        Assert.Contains($"<meta property=\"og:image\" content=\"http://localhost/media/{rows[origin.Url + "/a.jpg"].Hash}\">", html);
    }
}
