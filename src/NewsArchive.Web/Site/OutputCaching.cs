using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Site;

/// <summary>
/// Output cache policies, one per endpoint: each varies by the query values that endpoint reads
/// and the UI language (pages also by the effective script preference, which the cookie can set
/// and a cached response never would), and nothing else. Before the endpoint runs, the query is cut
/// to those values (in a fixed order and spelling), so a page is rendered only from what its cache
/// entry is keyed on: an extra parameter is the same entry and appears in none of its links.
/// </summary>
public static class CachePolicies
{
    public const string ArticlesApi = "articles-api";
    public const string SearchApi = "search-api";
    public const string Feed = "feed";
    public const string Fixed = "fixed";
    public const string List = "list";
    public const string Search = "search";
    public const string Article = "article";
    public const string Tags = "tags";
    public const string Trends = "trends";
    public const string TrendsCsv = "trends-csv";

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public static void Add(OutputCacheOptions o)
    {
        Policy(o, ArticlesApi, false, "page", "size", "source", "lang", "from", "to");
        Policy(o, SearchApi, false, "q", "page", "size", "source", "lang", "from", "to", "sort");
        // Feed readers send no cookie: a feed's script is its ?script= alone, its language its ?lang=. A search's feed has its query and filters.
        Policy(o, Feed, false, "q", "source", "language", "from", "to", "script", "lang");
        Policy(o, Fixed, true);
        Policy(o, List, true, "page", "source", "language");
        Policy(o, Search, true, "q", "page", "source", "language", "from", "to", "sort");
        Policy(o, Article, true, "q");
        Policy(o, Tags, true, "page");
        Policy(o, Trends, true, Site.Trends.QueryKeys);
        Policy(o, TrendsCsv, false, Site.Trends.QueryKeys);
    }

    // Pages keep ?lang= (their links carry it on, for a reader without the cookie); their ?script=
    // has been worked out (ScriptPreference.Of, cookie set) before the query is cut.
    private static void Policy(OutputCacheOptions o, string name, bool page, params string[] queryKeys) =>
        o.AddPolicy(name, new ArchivePolicy(page ? [.. queryKeys, "lang"] : queryKeys, page));

    /// <summary>
    /// Pages and feeds are the same for everyone in a UI language: cached briefly, evicted by the
    /// ingest, keyed by the archive state the request saw; their 200 answers carry the validators
    /// of <see cref="ConditionalGets"/>, and the cache answers a conditional GET for the entry it holds.
    /// </summary>
    private sealed class ArchivePolicy(string[] queryKeys, bool page) : IOutputCachePolicy
    {
        // For benchmarks of the pages' own cost (benchmarks/script-view.sh): nothing is served from the cache.
        private static readonly bool Disabled = Environment.GetEnvironmentVariable("NEWSARCHIVE_NO_OUTPUT_CACHE") == "1";

        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
        {
            var ctx = context.HttpContext;
            // Run on every request, before the cache is read: this also sets the cookie on a cached page.
            var script = ScriptPreference.Of(ctx);
            var query = new QueryBuilder();
            foreach (var key in queryKeys)
            {
                foreach (var value in ctx.Request.Query[key])
                {
                    query.Add(key, value ?? "");
                }
            }
            ctx.Request.QueryString = query.ToQueryString();
            var method = ctx.Request.Method;
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = context.AllowCacheStorage = !Disabled && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
            context.AllowLocking = true;
            context.ResponseExpirationTimeSpan = Lifetime;
            context.CacheVaryByRules.QueryKeys = queryKeys;
            context.CacheVaryByRules.VaryByValues["ui"] = CultureInfo.CurrentUICulture.Name;
            context.CacheVaryByRules.VaryByValues["state"] = ConditionalGets.StateOf(ctx);
            if (page)
            {
                context.CacheVaryByRules.VaryByValues["script"] = script;
            }
            context.Tags.Add(ArchiveCache.Tag);
            // Before the endpoint runs, so the cache stores them with the answer; taken off again by
            // ConditionalGets when the answer is not a 200.
            ConditionalGets.AddValidators(ctx);
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
        {
            var response = context.HttpContext.Response;
            if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
            {
                context.AllowCacheStorage = false;
            }
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// The output cache's store: entries under the SHA-256 of their key, bounded in bytes by the
/// values plus a fixed charge per entry for its key and bookkeeping (the built-in store counts
/// only values, and its keys hold whole query strings).
/// </summary>
public sealed class BoundedOutputCacheStore(long sizeLimit) : IOutputCacheStore
{
    public const int EntryOverhead = 256;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = sizeLimit, TrackStatistics = true });
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _tagged = new();

    /// <summary>The bytes charged for the entries held now (values plus overhead).</summary>
    public long Size => _entries.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_entries.TryGetValue(Hash(key), out byte[]? value) ? value : null);

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        var options = new MemoryCacheEntryOptions { Size = value.Length + EntryOverhead, AbsoluteExpirationRelativeToNow = validFor };
        foreach (var tag in tags ?? [])
        {
            _tagged.GetOrAdd(tag, _ => new())[hash] = 0;
        }
        options.RegisterPostEvictionCallback((k, _, reason, _) =>
        {
            if (reason != EvictionReason.Replaced)
            {
                foreach (var keys in _tagged.Values)
                {
                    keys.TryRemove((string)k, out var _);
                }
            }
        });
        _entries.Set(hash, value, options);
        return ValueTask.CompletedTask;
    }

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        if (_tagged.TryGetValue(tag, out var keys))
        {
            foreach (var hash in keys.Keys)
            {
                _entries.Remove(hash);
            }
        }
        return ValueTask.CompletedTask;
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
