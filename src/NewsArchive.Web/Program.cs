using NewsArchive.Web.Api;
using NewsArchive.Web.Commands;
using NewsArchive.Web.Site;

return await ArchiveCommandLine.RunAsync(args, Serve);

// The site: `dotnet run --project src/NewsArchive.Web [--urls …]`, or the `serve` command.
static int Serve(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddArchiveSite();
    var app = builder.Build();
    app.UseArchiveSite();
    app.MapArchiveEndpoints();
    // The JSON API's rate bucket is the searches' (a script pages through it faster than a reader).
    var api = app.MapGroup("").WithMetadata(new RequestCostAttribute(RequestCost.Api));
    ArticlesApi.Map(api);
    SearchApi.Map(api);
    ExportApi.Map(api);
    StoriesApi.Map(api);
    // Outside the API group: the CSV of /trends costs a search, as the page does.
    TrendsApi.Map(app);
    app.AnswerHeadLikeGet();
    app.Run();
    return 0;
}

public partial class Program;
