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
    ArticlesApi.Map(app);
    SearchApi.Map(app);
    app.Run();
    return 0;
}

public partial class Program;
