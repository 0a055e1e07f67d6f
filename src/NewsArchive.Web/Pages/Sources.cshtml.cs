using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/sources: every outlet with its article count, first and newest dates, and feed.</summary>
[OutputCache(PolicyName = CachePolicies.Fixed)]
public sealed class SourcesModel(ArchiveStats stats) : PageModel
{
    public IReadOnlyList<OutletStore.OutletCount> Outlets { get; private set; } = [];

    public void OnGet() => Outlets = stats.Outlets();
}
