using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NewsArchive.Web.Storage;
using Polly;

namespace NewsArchive.Web.Media;

/// <summary>The media store's services and endpoints (docs/media.md).</summary>
public static class MediaServices
{
    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<MediaOptions>(config.GetSection("Archive:Media"));
        services.AddHttpClient(MediaFetcher.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<MediaOptions>>().Value;
                return new SocketsHttpHandler
                {
                    // Followed by MediaFetcher, which checks each hop's scheme; the address filter checks each connection.
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectTimeout = TimeSpan.FromSeconds(o.TimeoutSeconds),
                    MaxResponseHeadersLength = 64,
                    ConnectCallback = AddressFilter.Connect(o.Allow),
                };
            })
            .AddResilienceHandler("media", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<MediaOptions>>().Value;
                var budget = context.ServiceProvider.GetRequiredService<OriginBudget>();
                if (o.Retries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.Retries,
                        Delay = TimeSpan.FromMilliseconds(o.RetryDelayMilliseconds),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        // A refused address stays refused; a reader's request is sent once; a retry is paid
                        // from the host's budget and never waits for it.
                        ShouldHandle = args => ValueTask.FromResult(
                            AddressFilter.RefusalIn(args.Outcome.Exception) is null && HttpClientResiliencePredicates.IsTransient(args.Outcome)
                            && args.Context.GetRequestMessage() is { } request
                            && !(request.Options.TryGetValue(MediaFetcher.ForReader, out var reader) && reader)
                            && budget.TrySpend(request.RequestUri!)),
                    });
                }
                pipeline.AddTimeout(TimeSpan.FromSeconds(o.TimeoutSeconds));
            });
        services.AddSingleton<OriginBudget>();
        services.AddSingleton<MediaLoadLimiter>();
        services.AddSingleton<MediaFetcher>();
        services.AddSingleton<MediaWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaWorker>());
        services.AddScoped<MediaView>();
        return services;
    }

    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder app)
    {
        app.MapGet("/media/{hash:length(64)}", (string hash, Database db, HttpContext ctx) =>
        {
            if (!hash.All(char.IsAsciiHexDigitLower))
            {
                return Results.NotFound();
            }
            string? type;
            using (var c = db.Open())
            {
                type = MediaStore.ContentType(c, hash);
            }
            var path = MediaBlobs.PathOf(db, hash);
            if (type is null || !File.Exists(path))
            {
                return Results.NotFound();
            }
            // Content-addressed: these bytes never change under this name.
            ctx.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(path, type, entityTag: new EntityTagHeaderValue("\"" + hash + "\""));
        })
        // Like static files: an article with many pictures must not use up a reader's page budget.
        .DisableRateLimiting();
        // A click on a placeholder (Remote=click): the archive fetches the image, the reader's browser never contacts the origin.
        app.MapGet("/media/load", async (string? url, MediaWorker worker, MediaLoadLimiter clients, HttpContext ctx) =>
        {
            ctx.Response.Headers.CacheControl = "no-store";
            if (clients.RetryAfter(ctx.Connection.RemoteIpAddress) is { } seconds)
            {
                ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }
            var hash = url is not null && MediaHtml.Key(url) is { } key ? await worker.FetchNowAsync(key, ctx.RequestAborted) : null;
            return hash is null ? Results.NotFound() : Results.Redirect(ctx.Request.PathBase + MediaHtml.LocalPath(hash));
        });
        return app;
    }
}
