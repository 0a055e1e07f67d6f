using System.Text.RegularExpressions;

namespace NewsArchive.Web.Site;

/// <summary>
/// Fingerprinted static files (<c>/css/site.{hash}.css</c>) change their URL when their content
/// changes, so browsers may keep them for a year. Published builds get this from the static asset
/// manifest; `dotnet run` builds mark them no-cache, so the header is set here for both.
/// </summary>
public static partial class AssetCaching
{
    [GeneratedRegex(@"^/(css|js)/[^/]+\.[a-z0-9]{10}\.(css|js)$")]
    private static partial Regex Fingerprinted();

    public static IApplicationBuilder UseImmutableFingerprintedAssets(this IApplicationBuilder app) => app.Use((ctx, next) =>
    {
        if (Fingerprinted().IsMatch(ctx.Request.Path.Value ?? ""))
        {
            ctx.Response.OnStarting(() =>
            {
                if (ctx.Response.StatusCode == StatusCodes.Status200OK)
                {
                    ctx.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                }
                return Task.CompletedTask;
            });
        }
        return next();
    });
}
