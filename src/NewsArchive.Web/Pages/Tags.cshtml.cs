using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/tags: every tag some article carries, most articles first, paged.</summary>
[OutputCache(PolicyName = CachePolicies.Tags)]
public sealed class TagsModel(Database db) : PageModel
{
    public const int PageSize = 200;

    public Pager Pager { get; private set; } = new(1, PageSize, 0);
    public IReadOnlyList<TagStore.Tag> Tags { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (!RequestParameters.TryReadPage(Request, out var pageNumber, out _))
        {
            return NotFound();
        }
        using var c = db.Open();
        Pager = new Pager(pageNumber, PageSize, TagStore.Count(c));
        if (pageNumber > Pager.LastPage)
        {
            return NotFound();
        }
        Tags = TagStore.Page(c, (pageNumber - 1) * PageSize, PageSize);
        return Page();
    }
}
