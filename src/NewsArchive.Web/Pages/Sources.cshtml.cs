using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/sources: every source with its article count and newest date.</summary>
[OutputCache(PolicyName = CachePolicies.Fixed)]
public sealed class SourcesModel(ArchiveStats stats) : PageModel
{
    public IReadOnlyList<ArticleStore.SourceCount> Sources { get; private set; } = [];

    public void OnGet() => Sources = stats.Sources();
}
