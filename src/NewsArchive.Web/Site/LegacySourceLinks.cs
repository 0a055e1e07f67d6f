using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>
/// ?source= names an outlet by its id (docs/outlets.md). A link from before outlets named a source
/// by what files called it (法广, a person, a host): it answers 301 to the same URL with the id of
/// the outlet those articles went to, on every path that reads the parameter.
/// </summary>
public static class LegacySourceLinks
{
    private static readonly string[] Paths = ["/", "/search", "/feed.atom", "/api/articles", "/api/search"];

    public static void UseLegacySourceLinks(this WebApplication app) => app.Use(async (ctx, next) =>
    {
        var r = ctx.Request;
        if ((HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method))
            && (Paths.Contains(r.Path.Value) || r.Path.StartsWithSegments("/archive"))
            && r.Query["source"].FirstOrDefault() is { Length: > 0 } source
            && ctx.RequestServices.GetRequiredService<ArchiveStats>() is var stats
            && !stats.IsOutlet(source)
            && stats.OutletOfSource(source) is { } id)
        {
            ctx.Response.Redirect(Links.With(r, "source", id), permanent: true);
            return;
        }
        await next(ctx);
    });
}
