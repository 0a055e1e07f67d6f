using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace NewsArchive.Web.Site;

/// <summary>
/// The reader's script preference: <c>?script=</c> on any page sets it and a cookie keeps it for a
/// year; without either it follows the UI language (zh-Hans: hans; zh-Hant: hant-hk when the browser
/// asks for zh-HK or zh-MO first, otherwise hant-tw; en: original). <c>hant</c> (Traditional without
/// regional vocabulary) is kept for the links the article page handed out before.
/// </summary>
public static class ScriptPreference
{
    public const string Original = "original";
    public const string CookieName = "script";
    public static readonly string[] Names = [Original, "hans", "hant-tw", "hant-hk"];
    private static readonly object Key = new();

    public static bool IsValid(string? script) => script is not null && (Names.Contains(script) || script == "hant");

    /// <summary>A valid <c>?script=</c>, or null: feeds read only this, since feed readers send no cookie.</summary>
    public static string? FromQuery(HttpRequest r) => r.Query["script"].ToString() is var s && IsValid(s) ? s : null;

    /// <summary>
    /// The effective preference of this request (worked out once); a <c>?script=</c> that differs
    /// from the cookie sets the cookie, so links need not repeat it.
    /// </summary>
    public static string Of(HttpContext ctx)
    {
        if (ctx.Items.TryGetValue(Key, out var known))
        {
            return (string)known!;
        }
        var cookie = ctx.Request.Cookies[CookieName];
        var script = FromQuery(ctx.Request) ?? (IsValid(cookie) ? cookie! : Default(ctx.Request));
        if (FromQuery(ctx.Request) is { } asked && asked != cookie)
        {
            ctx.Response.Cookies.Append(CookieName, asked, new CookieOptions
            {
                MaxAge = TimeSpan.FromDays(365),
                SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax,
                HttpOnly = true,
                IsEssential = true,
                Secure = ctx.Request.IsHttps,
            });
        }
        ctx.Items[Key] = script;
        return script;
    }

    private static string Default(HttpRequest r)
    {
        var ui = CultureInfo.CurrentUICulture.Name;
        if (ui == "zh-Hans")
        {
            return "hans";
        }
        if (ui != "zh-Hant")
        {
            return Original;
        }
        // The UI culture is only zh-Hant: the region is in the browser's first Chinese language.
        var first = r.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value ?? "").FirstOrDefault(l => l.StartsWith("zh", StringComparison.OrdinalIgnoreCase));
        return first is not null && (first.EndsWith("-HK", StringComparison.OrdinalIgnoreCase) || first.EndsWith("-MO", StringComparison.OrdinalIgnoreCase))
            ? "hant-hk" : "hant-tw";
    }
}
