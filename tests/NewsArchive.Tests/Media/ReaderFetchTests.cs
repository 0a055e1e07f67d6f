using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Media;

/// <summary>
/// What readers can make the archive send to an image's origin through /media/load: one fetch per
/// URL within the retry policy (a failure in backoff or a permanent one is not fetched again), a
/// per-origin budget shared with the background worker, and a per-client bucket of its own.
/// </summary>
public sealed class ReaderFetchTests
{
    private static readonly string[] Failing = ["/500.png", "/404.png"];

    /// <summary>/500.png answers 500; /404.png is not served, so the origin answers 404.</summary>
    private static Task<Origin> FailingOriginAsync() => Origin.StartAsync(new Dictionary<string, RequestDelegate>
    {
        ["/500.png"] = ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        },
    });

    private static Task<HttpResponseMessage> LoadAsync(HttpClient client, string url) =>
        client.GetAsync("/media/load?url=" + Uri.EscapeDataString(url));

    private static HttpClient NoRedirects(MediaApp app) => app.Factory.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public async Task With_the_shipped_defaults_three_loads_of_a_failing_image_send_the_origin_nothing()
    {
        await using var origin = await FailingOriginAsync();
        using var app = new MediaApp(MediaApp.Article([.. Failing.Select(p => origin.Url + p)]),
            new Dictionary<string, string> { ["Allow:0"] = origin.HostPort }, fetch: false);
        var client = NoRedirects(app);
        await app.SettledAsync(client, Failing.Length, fetching: false);

        foreach (var path in Failing)
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await LoadAsync(client, origin.Url + path)).StatusCode);
            }
        }
        Assert.Equal(0, origin.Total);
    }

    [Fact]
    public async Task With_fetching_on_three_loads_of_a_failing_image_cost_its_origin_one_request()
    {
        await using var origin = await FailingOriginAsync();
        // No background fetches: every request the origin sees comes from a reader's load.
        using var app = new MediaApp(MediaApp.Article([.. Failing.Select(p => origin.Url + p)]),
            new Dictionary<string, string> { ["Allow:0"] = origin.HostPort, ["Concurrency"] = "0" });
        var client = NoRedirects(app);
        await app.SettledAsync(client, Failing.Length, fetching: false);

        foreach (var path in Failing)
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await LoadAsync(client, origin.Url + path)).StatusCode);
            }
            Assert.Equal(1, origin.Count(path));
        }
        using var c = app.Db.OpenUnpooled();
        var transient = MediaStore.Get(c, origin.Url + "/500.png")!;
        Assert.Equal(("failed", "HTTP 500", 1L), (transient.State, transient.LastError, transient.Attempts));
        // In backoff: the first retry is 5 minutes later.
        Assert.InRange(transient.NextAttempt!.Value, DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds());
        var permanent = MediaStore.Get(c, origin.Url + "/404.png")!;
        Assert.Equal(("failed", "HTTP 404", 1L, (long?)null), (permanent.State, permanent.LastError, permanent.Attempts, permanent.NextAttempt));
    }

    [Fact]
    public async Task With_fetching_on_an_image_the_worker_failed_is_not_fetched_again_by_loads()
    {
        await using var origin = await FailingOriginAsync();
        // The shipped defaults otherwise: the worker retries the 500 within its fetch, then backs off.
        using var app = new MediaApp(MediaApp.Article([.. Failing.Select(p => origin.Url + p)]),
            new Dictionary<string, string> { ["Allow:0"] = origin.HostPort });
        var client = NoRedirects(app);
        await app.SettledAsync(client, Failing.Length);
        var before = Failing.ToDictionary(p => p, origin.Count);
        Assert.Equal(1, before["/404.png"]);

        foreach (var path in Failing)
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await LoadAsync(client, origin.Url + path)).StatusCode);
            }
            Assert.Equal(before[path], origin.Count(path));
        }
    }

    [Fact]
    public async Task Many_readers_and_the_worker_together_stay_within_the_origins_budget()
    {
        const int Budget = 3;
        var paths = Enumerable.Range(0, 12).Select(i => $"/{i}.png").ToList();
        await using var origin = await Origin.StartAsync(paths.ToDictionary(p => p, _ => (RequestDelegate)(async ctx =>
        {
            await Task.Delay(100);
            await Origin.Bytes(Images.Png, "image/png")(ctx);
        })));
        var clock = Stopwatch.StartNew();
        using var app = new MediaApp(MediaApp.Article([.. paths.Select(p => origin.Url + p)]), new Dictionary<string, string>
        {
            ["Allow:0"] = origin.HostPort,
            ["PerHostPerMinute"] = Budget.ToString(),
            ["TimeoutSeconds"] = "1",
            // Many readers from one address here: their own bucket is not what this test is about.
            ["LoadBurst"] = "1000",
        });
        var client = NoRedirects(app);
        await app.SettledAsync(client, paths.Count, fetching: false);

        var loads = await Task.WhenAll(paths.SelectMany(p => Enumerable.Range(0, 4).Select(_ => LoadAsync(client, origin.Url + p))));
        Assert.All(loads, r => Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.NotFound, r.StatusCode.ToString()));
        await Task.Delay(1000);

        // The budget is a full minute's worth at once, then one every 60/Budget seconds.
        Assert.InRange(origin.Total, 1, Budget + (int)(Budget * clock.Elapsed.TotalSeconds / 60));
        Assert.All(origin.Requests.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Media_load_has_a_bucket_of_its_own_that_answers_429_once_spent()
    {
        // The shipped defaults (10 at once, then 20 a minute; the page and search buckets on), and a tighter one.
        foreach (var (settings, burst, perMinute) in new[]
        {
            (new Dictionary<string, string>(), 10, 20),
            (new Dictionary<string, string> { ["LoadBurst"] = "2", ["LoadPerMinute"] = "1" }, 2, 1),
        })
        {
            using var app = new MediaApp("", settings, fetch: false, rateLimits: true);
            var client = NoRedirects(app);
            var clock = Stopwatch.StartNew();
            HttpResponseMessage? refused = null;
            var served = 0;
            while (refused is null && served < 100)
            {
                var r = await LoadAsync(client, "https://images.example/not-queued.jpg");
                if (r.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    refused = r;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
                    served++;
                }
            }
            Assert.InRange(served, burst, burst + (int)(perMinute * clock.Elapsed.TotalSeconds / 60));
            Assert.NotNull(refused);
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60.0 / perMinute + 1));
            // The pages' bucket is another one.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }
    }
}
