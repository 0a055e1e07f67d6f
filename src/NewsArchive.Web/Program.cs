using NewsArchive.Web.Api;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

if (args.Length > 0 && args[0] == "ingest")
{
    var config = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();
    var defaultDb = config["Archive:Database"] ?? new ArchiveOptions().Database;
    return await IngestCommand.RunAsync(args[1..], defaultDb);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.Configure<ArchiveOptions>(builder.Configuration.GetSection("Archive"));
builder.Services.PostConfigure<ArchiveOptions>(o =>
{
    o.Database = Path.GetFullPath(o.Database, builder.Environment.ContentRootPath);
    o.SeedsPath = ArchivePaths.FindSeeds(o.SeedsPath, builder.Environment.ContentRootPath);
});
builder.Services.AddSingleton(sp =>
{
    var db = new Database(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ArchiveOptions>>().Value.Database);
    db.Migrate();
    return db;
});
builder.Services.AddSingleton<SearchEngine>();
builder.Services.AddSingleton<IngestService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestService>());

var app = builder.Build();
app.Services.GetRequiredService<Database>();

app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
ArticlesApi.Map(app);
SearchApi.Map(app);

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
