using System.Globalization;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Media;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>The UI languages, in the order the language switch lists them.</summary>
public static class UiCultures
{
    public static readonly string[] Names = ["zh-Hans", "zh-Hant", "en"];
}

/// <summary>The site's services, middleware and endpoints (the JSON API's are mapped by Program.cs: Site does not import Api).</summary>
public static class WebSetup
{
    public static void AddArchiveSite(this WebApplicationBuilder builder)
    {
        // `dotnet run` outside Development serves wwwroot from the build's manifest; published output has its own.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 64 * 1024;
            k.Limits.MaxRequestLineSize = 16 * 1024;
            k.AddServerHeader = false;
        });
        var services = builder.Services;
        services.Configure<ArchiveOptions>(builder.Configuration.GetSection("Archive"));
        services.AddPublicUrls(builder.Configuration);
        services.PostConfigure<ArchiveOptions>(o => ArchivePaths.Resolve(o, builder.Environment.ContentRootPath));
        services.AddSingleton(sp =>
        {
            var db = Database.For(sp.GetRequiredService<IOptions<ArchiveOptions>>().Value, SearchBudget.StatementTimeout);
            db.Migrate();
            return db;
        });
        // The display time zone: pages show times in it, and every date parameter and period count means its days.
        services.AddSingleton(sp => TimeZoneInfo.FindSystemTimeZoneById(sp.GetRequiredService<IOptions<ArchiveOptions>>().Value.TimeZone));
        services.AddSingleton<SearchEngine>();
        services.AddSingleton<ArchiveStats>();
        services.AddSingleton<IngestService>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestService>());
        services.AddMedia(builder.Configuration);
        services.AddOperator();
        // ASP.NET Core makes a data-protection key ring at start-up though the site protects nothing
        // with it (no sign-in, every form is a GET): kept beside the database, not in a home folder a
        // container loses. Unencrypted at rest, like the database beside it, so that warning is not logged.
        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<ArchiveOptions>, ILoggerFactory>((k, o, logs) =>
            k.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(o.Value.Database + ".keys"), logs));
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        services.AddScoped<Display>();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Razor would otherwise write every CJK character as an entity: three times the bytes, unreadable source.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o => o.Conventions.AddPageRoute("/Index", "archive/{year:int}/{month:int?}/{day:int?}"));
        // Registered before AddOutputCache, which then keeps it instead of its own store.
        services.AddSingleton<IOutputCacheStore>(new BoundedOutputCacheStore(64L << 20));
        services.AddOutputCache(CachePolicies.Add);
        services.AddRequestLimits();
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        // Searches are synchronous SQLite work; with only a thread per core to start with, a few of them
        // would leave /healthz waiting for the pool to grow (about one thread per half second).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
    }

    public static void UseArchiveSite(this WebApplication app)
    {
        app.Services.GetRequiredService<Database>();
        app.UsePublicUrls();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/status/500");
            app.UseHsts();
        }
        app.UseSecurityHeaders();
        app.UseImmutableFingerprintedAssets();
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseOperator();
        var cultures = UiCultures.Names.Select(n => new CultureInfo(n)).ToList();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("zh-Hans"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            // zh-TW, zh-HK and zh-MO fall back to their parent zh-Hant, zh-CN and zh-SG to zh-Hans.
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
            RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                // An error page re-executed for another address: that address's ?lang=.
                new CustomRequestCultureProvider(ctx => Task.FromResult(
                    ctx.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalQueryString is { } q
                        && QueryHelpers.ParseQuery(q).TryGetValue("lang", out var lang) && UiCultures.Names.Contains(lang.ToString())
                        ? new ProviderCultureResult(lang.ToString()) : null)),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ],
        });
        app.UseLegacySourceLinks();
        app.UseConditionalGets();
        // After the status code pages, so that a rejected page request shows the localized /status/429.
        app.UseRequestLimits();
        app.UseOutputCache();
    }

    public static void MapArchiveEndpoints(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapMedia();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).WithMetadata(new RequestCostAttribute(RequestCost.Free));
        app.MapOperator();
        app.MapGet("/culture", (HttpContext ctx, string? c, string? r) =>
        {
            var culture = UiCultures.Names.Contains(c) ? c! : "zh-Hans";
            ctx.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365),
                    SameSite = SameSiteMode.Lax,
                    HttpOnly = true,
                    IsEssential = true,
                    Secure = ctx.Request.IsHttps,
                });
            return Results.LocalRedirect(Links.SafeReturnPath(r));
        });
        Feeds.Map(app);
        Citations.Map(app);
        app.MapRazorPages().WithStaticAssets();
    }
}
