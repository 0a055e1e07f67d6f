using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>
/// Validators for a CDN or a caching proxy: every 200 answer (pages, feeds, API) that has none of
/// its own gets a weak ETag naming the archive's state (its id and the last change queued for the
/// index, which every added, changed or removed article bumps), the UI language and the reading
/// script (a cookie may choose it, so one URL has several answers), a
/// Last-Modified of when this process first saw that state, and a Cache-Control as long as the
/// output cache keeps it; a conditional GET for the current state answers 304 without running
/// the endpoint. A new state is also how the site notices what another process did (the ingest
/// command, takedown, restore): it clears the output cache and the sidebar counts.
/// </summary>
public static class ConditionalGets
{
    public const string CacheControl = "public, max-age=30";

    /// <summary>
    /// The archive state this request saw (HttpContext.Items), part of every output-cache key: a
    /// page computed from the state before a change, finishing after the change evicted the cache,
    /// is stored under the old state's key and never served for the new one.
    /// </summary>
    public static string StateOf(HttpContext ctx) => ctx.Items[StateKey] as string ?? "";

    private const string StateKey = "archive-state";

    public static IApplicationBuilder UseConditionalGets(this IApplicationBuilder app)
    {
        var db = app.ApplicationServices.GetRequiredService<Database>();
        var cache = app.ApplicationServices.GetRequiredService<IOutputCacheStore>();
        var stats = app.ApplicationServices.GetRequiredService<ArchiveStats>();
        var seen = new SeenState();
        return app.Use(async (ctx, next) =>
        {
            if (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method))
            {
                var (etag, since, changed) = seen.Current(db, ScriptPreference.Of(ctx));
                ctx.Items[StateKey] = etag.Tag.ToString();
                if (changed)
                {
                    stats.Clear();
                    await cache.EvictByTagAsync(ArchiveCache.Tag, ctx.RequestAborted);
                }
                if (Answer(ctx, etag, since))
                {
                    return;
                }
            }
            await next();
        });
    }

    /// <summary>Adds the validators; true when the answer is 304 and the endpoint need not run.</summary>
    private static bool Answer(HttpContext ctx, EntityTagHeaderValue etag, DateTimeOffset since)
    {
        var req = ctx.Request.GetTypedHeaders();
        var notModified = req.IfNoneMatch.Count > 0
            ? req.IfNoneMatch.Any(t => t.Tag == etag.Tag)
            : req.IfModifiedSince is { } ims && since <= ims;
        ctx.Response.OnStarting(() =>
        {
            var h = ctx.Response.Headers;
            if (ctx.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified && h.ETag.Count == 0 && h.CacheControl.Count == 0)
            {
                h.ETag = etag.ToString();
                h.LastModified = since.ToString("R", CultureInfo.InvariantCulture);
                h.CacheControl = CacheControl;
                h.Vary = "Accept-Language, Cookie";
            }
            return Task.CompletedTask;
        });
        if (notModified)
        {
            // Only an answer that was 200 carried this ETag; a 304 confirms the client's copy.
            ctx.Response.StatusCode = StatusCodes.Status304NotModified;
        }
        return notModified;
    }

    /// <summary>The archive state this site last saw, and since when (per app: tests run several at once).</summary>
    private sealed class SeenState
    {
        private readonly Lock _gate = new();
        private (string State, DateTimeOffset Since) _seen = ("", DateTimeOffset.UtcNow);

        public (EntityTagHeaderValue ETag, DateTimeOffset Since, bool Changed) Current(Database db, string script)
        {
            string state;
            using (var c = db.Open())
            {
                state = IndexQueueStore.ReaderState(c);
            }
            lock (_gate)
            {
                var changed = _seen.State != state;
                if (changed)
                {
                    // HTTP dates have whole seconds: truncated, so If-Modified-Since compares equal.
                    var now = DateTimeOffset.UtcNow;
                    _seen = (state, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
                }
                var tag = new EntityTagHeaderValue($"\"{state}-{CultureInfo.CurrentUICulture.Name}-{script}\"", isWeak: true);
                return (tag, _seen.Since, changed);
            }
        }
    }
}
