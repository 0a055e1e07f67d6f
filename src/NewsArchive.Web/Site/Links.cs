using Microsoft.AspNetCore.WebUtilities;

namespace NewsArchive.Web.Site;

/// <summary>URLs the pages build: the same path with one query value changed.</summary>
public static class Links
{
    /// <summary>The current URL without <c>?lang=</c>, for the language switch to return to.</summary>
    public static string WithoutUiLanguage(HttpRequest r) => With(r, "lang", null);

    /// <summary>Another path with the current filters (all query values but the page number).</summary>
    public static string OnPath(HttpRequest r, string path) =>
        QueryHelpers.AddQueryString(r.PathBase + path, QueryHelpers.ParseQuery(r.QueryString.Value)
            .Where(kv => kv.Key is not "page" and not "lang")
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v))));

    public static string With(HttpRequest r, string key, string? value, bool resetPage = false)
    {
        var q = QueryHelpers.ParseQuery(r.QueryString.Value)
            .Where(kv => kv.Key != key && !(resetPage && kv.Key == "page"))
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)))
            .ToList();
        if (value is not null)
        {
            q.Add(new(key, value));
        }
        return QueryHelpers.AddQueryString(r.PathBase + r.Path, q);
    }
}
