using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Media;

/// <summary>
/// Works through the media queue in the database, away from the ingest: each fetcher claims one
/// row (a write, so no two fetchers and no two processes take the same URL), fetches it and
/// records the bytes or the reason. Rows a killed process had claimed are failed as interrupted at
/// start-up and tried again after the backoff, like any other transient failure.
/// </summary>
public sealed class MediaWorker(Database db, MediaFetcher fetcher, IOptions<MediaOptions> options, IHostApplicationLifetime lifetime, ILogger<MediaWorker> log)
    : BackgroundService
{
    private readonly MediaOptions _o = options.Value;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!_o.Fetch || _o.Concurrency <= 0)
        {
            return;
        }
        await Task.Yield();
        using (var c = db.OpenArticles())
        {
            var interrupted = MediaStore.FailInterrupted(c, "interrupted: the fetcher stopped during the fetch", NextAttempt(1));
            if (interrupted > 0)
            {
                log.LogWarning("{Count} image fetches were interrupted by the last shutdown; they are tried again later", interrupted);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, _o.Concurrency).Select(_ => FetchLoopAsync(ct)));
    }

    private async Task FetchLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                MediaClaim? claim;
                using (var c = db.OpenArticles())
                {
                    claim = MediaStore.ClaimNext(c);
                }
                if (claim is null)
                {
                    await Task.Delay(_o.PollMilliseconds, ct);
                    continue;
                }
                await ProcessAsync(claim, reader: false, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogError(e, "Image fetcher failed; it starts again in a moment");
                await Task.Delay(_o.PollMilliseconds, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// A reader asked for an image that is not stored: fetched now if it is due (as the worker would
    /// take it) and its host's budget has a token, at most once per request; else whoever is at it is
    /// waited for. The hash once stored.
    /// </summary>
    public async Task<string?> FetchNowAsync(string url, CancellationToken ct)
    {
        MediaClaim? claim;
        using (var c = db.OpenArticles())
        {
            // Without Fetch nothing goes to the origin: a click shows only what is already stored.
            claim = _o.Fetch ? MediaStore.Claim(c, url) : null;
        }
        if (claim is not null)
        {
            // The archive's fetch, not the request's: a reader who goes away does not cancel it, so
            // cannot have it released and claimed again at once.
            await ProcessAsync(claim, reader: true, lifetime.ApplicationStopping).WaitAsync(ct);
        }
        var deadline = DateTime.UtcNow.AddSeconds(_o.TimeoutSeconds * (_o.Retries + 2));
        while (true)
        {
            MediaRow? row;
            using (var c = db.OpenArticles())
            {
                row = MediaStore.Get(c, url);
            }
            if (row?.State != "fetching" || DateTime.UtcNow >= deadline)
            {
                return row?.State == "stored" ? row.Hash : null;
            }
            await Task.Delay(200, ct);
        }
    }

    private async Task ProcessAsync(MediaClaim claim, bool reader, CancellationToken ct)
    {
        FetchResult result;
        try
        {
            result = await fetcher.FetchAsync(claim.Url, reader, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            using var c = db.OpenArticles();
            MediaStore.Release(c, claim.Id);
            throw;
        }
        using (var c = db.OpenArticles())
        {
            if (!result.Sent)
            {
                MediaStore.Unclaim(c, claim.Id);
                return;
            }
            if (result.Bytes is { } bytes)
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                MediaBlobs.Write(db, hash, bytes);
                MediaStore.MarkStored(c, claim.Id, hash, result.ContentType!, bytes.Length);
                return;
            }
            var again = result.Transient && claim.Attempts < _o.MaxAttempts ? NextAttempt(claim.Attempts) : (long?)null;
            MediaStore.MarkFailed(c, claim.Id, result.Error!, again);
        }
    }

    /// <summary>Backoff between fetches of a URL that failed transiently: 5 minutes, then ×4 each time.</summary>
    private static long NextAttempt(long attempts) =>
        DateTimeOffset.UtcNow.AddMinutes(5 * Math.Pow(4, Math.Min(attempts - 1, 6))).ToUnixTimeMilliseconds();
}
