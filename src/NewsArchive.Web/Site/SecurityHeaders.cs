namespace NewsArchive.Web.Site;

/// <summary>
/// Headers on every response: a strict CSP (no inline script, no DOM sinks that take strings;
/// images from any HTTPS host, since articles hotlink them), and isolation from other origins.
/// HSTS is UseHsts's, on HTTPS only.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; require-trusted-types-for 'script'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        // Media hook: under Archive:Media:Remote=click every image comes from this site.
        var csp = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Media.MediaOptions>>().Value.ClickToLoad
            ? ContentSecurityPolicy.Replace("img-src 'self' https:", "img-src 'self'", StringComparison.Ordinal)
            : ContentSecurityPolicy;
        return app.Use((ctx, next) => Apply(ctx, next, csp));
    }

    private static Task Apply(HttpContext ctx, Func<Task> next, string csp)
    {
        var h = ctx.Response.Headers;
        h.ContentSecurityPolicy = csp;
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.XFrameOptions = "DENY";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        return next();
    }
}
