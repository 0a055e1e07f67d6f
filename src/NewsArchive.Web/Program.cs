using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using NewsArchive.Web.Api;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Media;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

if (args.Length > 0 && args[0] is "ingest" or "media")
{
    var config = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();
    var defaultDb = config["Archive:Database"] ?? new ArchiveOptions().Database;
    // Media hook: the `media` command (Media/MediaCommand.cs).
    return args[0] == "media" ? MediaCommand.Run(args[1..], defaultDb) : await IngestCommand.RunAsync(args[1..], defaultDb);
}

var builder = WebApplication.CreateBuilder(args);
// `dotnet run` outside Development serves wwwroot from the build's manifest; published output has its own.
builder.WebHost.UseStaticWebAssets();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxRequestBodySize = 64 * 1024;
    k.Limits.MaxRequestLineSize = 16 * 1024;
    k.AddServerHeader = false;
});
builder.Services.Configure<ArchiveOptions>(builder.Configuration.GetSection("Archive"));
builder.Services.PostConfigure<ArchiveOptions>(o =>
{
    o.Database = Path.GetFullPath(o.Database, builder.Environment.ContentRootPath);
    o.SeedsPath = ArchivePaths.FindSeeds(o.SeedsPath, builder.Environment.ContentRootPath);
});
builder.Services.AddSingleton(sp =>
{
    var db = new Database(sp.GetRequiredService<IOptions<ArchiveOptions>>().Value.Database);
    db.Migrate();
    return db;
});
builder.Services.AddSingleton<SearchEngine>();
builder.Services.AddMedia(builder.Configuration);
builder.Services.AddSingleton<ArchiveStats>();
builder.Services.AddSingleton<IngestService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestService>());
builder.Services.AddScoped(sp => new Display(
    TimeZoneInfo.FindSystemTimeZoneById(sp.GetRequiredService<IOptions<ArchiveOptions>>().Value.TimeZone),
    sp.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<NewsArchive.Web.SharedResource>>()));
builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
// Razor would otherwise write every CJK character as an entity: three times the bytes, unreadable source.
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
    o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
builder.Services.AddRazorPages(o => o.Conventions.AddPageRoute("/Index", "archive/{year:int}/{month:int?}/{day:int?}"));
// Registered before AddOutputCache, which then keeps it instead of its own store.
builder.Services.AddSingleton<IOutputCacheStore>(new BoundedOutputCacheStore(64L << 20));
builder.Services.AddOutputCache(CachePolicies.Add);
builder.Services.AddRequestLimits();
builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
// Searches are synchronous SQLite work; with only a thread per core to start with, a few of them
// would leave /healthz waiting for the pool to grow (about one thread per half second).
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), io);

var app = builder.Build();
app.Services.GetRequiredService<Database>();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/status/500");
    app.UseHsts();
}
app.UseSecurityHeaders();
app.UseImmutableFingerprintedAssets();
app.UseStatusCodePagesWithReExecute("/status/{0}");
app.UseRequestLocalization(new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture("zh-Hans"),
    SupportedCultures = [new CultureInfo("zh-Hans"), new CultureInfo("en")],
    SupportedUICultures = [new CultureInfo("zh-Hans"), new CultureInfo("en")],
    RequestCultureProviders =
    [
        new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
        new CookieRequestCultureProvider(),
        new AcceptLanguageHeaderRequestCultureProvider(),
    ],
});
// After the status code pages, so that a rejected page request shows the localized /status/429.
app.UseRateLimiter();
app.UseRequestTimeouts();
app.UseOutputCache();

app.MapStaticAssets();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.MapGet("/culture", (HttpContext ctx, string? c, string? r) =>
{
    var culture = c is "en" or "zh-Hans" ? c : "zh-Hans";
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
ArticlesApi.Map(app);
SearchApi.Map(app);
Feeds.Map(app);
app.MapMedia();
app.MapRazorPages().WithStaticAssets();

app.Run();
return 0;

/// <summary>Where the seeds folder is when the setting is relative.</summary>
public static class ArchivePaths
{
    /// <summary>
    /// A relative path is looked up from the content root upwards, so <c>seeds/</c> at the top of
    /// the clone is found whether the app runs from there or from its project folder.
    /// </summary>
    public static string FindSeeds(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, configured);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return Path.GetFullPath(configured, contentRoot);
    }
}

public partial class Program;
