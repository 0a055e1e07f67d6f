using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NewsArchive.Web.Media;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/operator: the status report for the operator (served where Archive:OperatorUrls says; never indexed or cached).</summary>
public sealed class OperatorModel(Database db, IOptions<MediaOptions> media) : PageModel
{
    /// <summary>Whether images are fetched (Archive:Media:Fetch): off, the queue only grows.</summary>
    public bool Fetching => media.Value.Fetch;

    public OperatorReport Report { get; private set; } = null!;

    /// <summary>Null when ready, else why not.</summary>
    public string? NotReady { get; private set; }

    public void OnGet()
    {
        NotReady = Readiness.Check(db);
        Report = OperatorReport.Read(db);
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.Headers.CacheControl = "no-store";
    }

    public static string MiB(long bytes) => Display.Number((bytes + 524288) / 1048576) + " MiB";
}
