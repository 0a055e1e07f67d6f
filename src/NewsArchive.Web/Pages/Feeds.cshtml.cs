using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Localization;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/feeds: every feed a reader can follow (Site/Feeds.cs's catalog), in the reader's language and script.</summary>
[OutputCache(PolicyName = CachePolicies.Fixed)]
public sealed class FeedsModel(ArchiveStats stats, IStringLocalizer<SharedResource> l) : PageModel
{
    public IReadOnlyList<(string Group, IReadOnlyList<(string Title, string Path)> Feeds)> Groups { get; private set; } = [];

    public void OnGet() => Groups = Feeds.Catalog(l, stats, Display.Culture.Name, ScriptPreference.Of(HttpContext));
}
