using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>
/// Validators for a CDN or a caching proxy: every 200 answer of a cached endpoint (pages, feeds,
/// API) that has none of its own gets a weak ETag naming the archive's state (its id and the last
/// change queued for and applied by the index, which every added, changed or removed article bumps),
/// the UI language, the reading script (a cookie may choose it, so one URL has several answers) and
/// the resource itself (its path and the query values it is keyed on), a Last-Modified of when this
/// process first saw that state, and a Cache-Control as long as the output cache keeps it. A
/// conditional GET is answered 304 by the output cache, against the entry it would serve, so only
/// the validator of that very resource matches (never a 404's: nothing but a 200 is stored). A new
/// state is also how the site notices what another process did (the ingest command, takedown,
/// restore): it clears the output cache and the sidebar counts.
/// </summary>
public static class ConditionalGets
{
    public const string CacheControl = "public, max-age=30";

    /// <summary>
    /// The archive state this request saw (HttpContext.Items), part of every output-cache key: a
    /// page computed from the state before a change, finishing after the change evicted the cache,
    /// is stored under the old state's key and never served for the new one.
    /// </summary>
    public static string StateOf(HttpContext ctx) => ctx.Items[StateKey] is Seen s ? s.State : "";

    private const string StateKey = "archive-state";

    private sealed record Seen(string State, DateTimeOffset Since);

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
                var (state, changed) = seen.Current(db);
                ctx.Items[StateKey] = state;
                if (changed)
                {
                    stats.Clear();
                    await cache.EvictByTagAsync(ArchiveCache.Tag, ctx.RequestAborted);
                }
            }
            await next();
        });
    }

    /// <summary>
    /// The validators of this resource, set before its endpoint runs (the output cache stores the
    /// headers an answer has when it starts); an answer that turns out not to be a 200 loses them.
    /// </summary>
    public static void AddValidators(HttpContext ctx)
    {
        if (ctx.Items[StateKey] is not Seen seen)
        {
            return;
        }
        var r = ctx.Request;
        var h = ctx.Response.Headers;
        var resource = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(r.PathBase + r.Path + r.QueryString)), 0, 8);
        h.ETag = new EntityTagHeaderValue($"\"{seen.State}-{CultureInfo.CurrentUICulture.Name}-{ScriptPreference.Of(ctx)}-{resource}\"", isWeak: true).ToString();
        h.LastModified = seen.Since.ToString("R", CultureInfo.InvariantCulture);
        h.CacheControl = CacheControl;
        h.Vary = "Accept-Language, Cookie";
        ctx.Response.OnStarting(() =>
        {
            if (ctx.Response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status304NotModified))
            {
                foreach (var name in new[] { HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.CacheControl, HeaderNames.Vary })
                {
                    h.Remove(name);
                }
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>The archive state this site last saw, and since when (per app: tests run several at once).</summary>
    private sealed class SeenState
    {
        private readonly Lock _gate = new();
        private Seen _seen = new("", DateTimeOffset.UtcNow);

        public (Seen Seen, bool Changed) Current(Database db)
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
                    _seen = new(state, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
                }
                return (_seen, changed);
            }
        }
    }
}
