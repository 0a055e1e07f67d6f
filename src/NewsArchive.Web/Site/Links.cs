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

    /// <summary>
    /// Where the language switch may send the reader back to: a local path of printable ASCII
    /// (what <see cref="With"/> builds, path base included), never another host (<c>//x</c>, <c>/\x</c>,
    /// or a control character a browser would drop to make one), nor a long value; anything else is
    /// the home page (<c>~/</c>: under the path base).
    /// </summary>
    public static string SafeReturnPath(string? r) =>
        r is { Length: > 0 and <= 2048 } && r[0] == '/' && (r.Length == 1 || r[1] != '/')
            && r.All(c => c is > ' ' and < '\x7f' and not '\\') ? r : "~/";

    /// <summary>
    /// A tag's page. Every reserved character is escaped, '/' too: the page reads the name back
    /// from the path (Pages/Tag.cshtml.cs).
    /// </summary>
    public static string Tag(HttpRequest r, string name) => r.PathBase + TagPath(name);

    public static string TagPath(string name) => "/tags/" + Uri.EscapeDataString(name);

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
