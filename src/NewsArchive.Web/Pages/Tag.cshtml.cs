using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using NewsArchive.Web.Model;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/tags/{tag}: the articles carrying exactly that tag, in either script, newest first, paged like the home page.</summary>
[OutputCache(PolicyName = CachePolicies.Tags)]
public sealed class TagModel(Database db) : PageModel
{
    public TagStore.Tag Tag { get; private set; } = new();
    public Pager Pager { get; private set; } = new(1, IndexModel.PageSize, 0);
    public IReadOnlyList<ArticleRow> Articles { get; private set; } = [];

    public IActionResult OnGet(string? tag)
    {
        if (!RequestParameters.TryReadPage(Request, out var pageNumber, out _) || string.IsNullOrWhiteSpace(tag))
        {
            return NotFound();
        }
        using var c = db.Open();
        // The server decodes every escape of the path but %2F (it would read as a separator), which Links.Tag writes for '/'.
        if (TagStore.Find(c, tag.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)) is not { } t)
        {
            return NotFound();
        }
        Tag = t;
        Pager = new Pager(pageNumber, IndexModel.PageSize, t.Count);
        if (pageNumber > Pager.LastPage)
        {
            return NotFound();
        }
        Articles = TagStore.Articles(c, t.Id, (pageNumber - 1) * IndexModel.PageSize, IndexModel.PageSize);
        return Page();
    }
}
