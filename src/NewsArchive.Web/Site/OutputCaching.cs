using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Site;

/// <summary>
/// Output cache policies, one per endpoint: each varies by the query values that endpoint reads
/// and the UI language (pages also by the effective script preference, which the cookie can set
/// and a cached response never would), and nothing else, so an extra parameter is the same cache entry.
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

    public static void Add(OutputCacheOptions o)
    {
        Policy(o, ArticlesApi, false, "page", "size", "source", "lang", "from", "to");
        Policy(o, SearchApi, false, "q", "page", "size", "source", "lang", "from", "to", "sort");
        // Feed readers send no cookie: a feed's script is its ?script= alone.
        Policy(o, Feed, false, "source", "script");
        Policy(o, Fixed, true);
        Policy(o, List, true, "page", "source", "language");
        Policy(o, Search, true, "q", "page", "source", "language", "from", "to", "sort");
        Policy(o, Article, true, "q");
        Policy(o, Tags, true, "page");
    }

    // Pages and feeds are the same for everyone in a UI language: cached briefly, evicted by the ingest.
    private static void Policy(OutputCacheOptions o, string name, bool byScript, params string[] queryKeys) =>
        o.AddPolicy(name, p =>
        {
            p.Expire(TimeSpan.FromSeconds(30)).SetVaryByQuery(queryKeys)
                .VaryByValue(_ => new KeyValuePair<string, string>("ui", CultureInfo.CurrentUICulture.Name))
                .VaryByValue(ctx => new KeyValuePair<string, string>("state", ConditionalGets.StateOf(ctx))).Tag(ArchiveCache.Tag);
            // For benchmarks of the pages' own cost (benchmarks/script-view.sh): nothing is served from the cache.
            if (Environment.GetEnvironmentVariable("NEWSARCHIVE_NO_OUTPUT_CACHE") == "1")
            {
                p.NoCache();
            }
            if (byScript)
            {
                // Run on every request, before the cache is read: this also sets the cookie on a cached page.
                p.VaryByValue(ctx => new KeyValuePair<string, string>("script", ScriptPreference.Of(ctx)));
            }
        });
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
