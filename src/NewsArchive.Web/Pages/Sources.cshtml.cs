using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/sources: every source with its article count and newest date.</summary>
public sealed class SourcesModel(ArchiveStats stats) : PageModel
{
    public IReadOnlyList<ArticleStore.SourceCount> Sources { get; private set; } = [];

    public void OnGet() => Sources = stats.Sources();
}
