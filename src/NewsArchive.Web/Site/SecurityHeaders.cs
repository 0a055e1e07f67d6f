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

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((ctx, next) =>
    {
        var h = ctx.Response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.XFrameOptions = "DENY";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        return next();
    });
}
