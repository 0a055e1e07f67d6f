using System.Text;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Api;

/// <summary>GET /trends.csv: the numbers of /trends with the same parameters, a row per period, query and outlet.</summary>
public static class TrendsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/trends.csv", async (HttpContext ctx, SearchEngine engine, ArchiveStats stats, TimeZoneInfo zone) =>
        {
            var trends = new Trends(engine, stats, zone);
            if (trends.Read(ctx.Request, out var problem) is not { } request)
            {
                return Results.Text(problem!.English + "\n", "text/plain", Encoding.UTF8, problem.Status);
            }
            using var budget = SearchBudget.Start(ctx);
            try
            {
                var series = await trends.CountAsync(request, budget.Token);
                ctx.Response.Headers.ContentDisposition = "attachment; filename=\"trends.csv\"";
                return Results.Text(Trends.Csv(request.Periods, series), "text/csv", Encoding.UTF8);
            }
            catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
            {
                return Results.Text($"counting took longer than {SearchBudget.Time.TotalSeconds:0} s; try fewer or narrower queries\n",
                    "text/plain", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable);
            }
        }).CacheOutput(CachePolicies.TrendsCsv).WithMetadata(new RequestCostAttribute(RequestCost.Search));
    }
}
