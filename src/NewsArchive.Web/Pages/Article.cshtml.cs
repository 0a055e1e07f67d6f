using Microsoft.AspNetCore.OutputCaching;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/a/{id}: one article at its permalink; a trailing slug is accepted and ignored.</summary>
[OutputCache(PolicyName = CachePolicies.Article)]
public sealed class ArticleModel(Database db, SearchEngine search, Media.MediaView media) : PageModel
{
    public ArticleRow Article { get; private set; } = new();
    public string BodyHtml { get; private set; } = "";
    public string BodyLanguage { get; private set; } = "";
    public string? Script { get; private set; }
    public ArticleRow? Newer { get; private set; }
    public ArticleRow? Older { get; private set; }
    public IReadOnlyList<ArticleRow> Related { get; private set; } = [];
    public string Canonical { get; private set; } = "";
    public Media.ArticleImages Images { get; private set; } = new("", null, null);
    public IReadOnlyList<string> AlsoArchivedAt { get; private set; } = [];

    public IActionResult OnGet(string id, string? script)
    {
        if (!Permalink.IsWellFormed(id) || script is not (null or "hans" or "hant"))
        {
            return NotFound();
        }
        using var c = db.Open();
        var a = ArticleStore.GetByPermalink(c, id);
        if (a is null)
        {
            // A permalink of one of the article's other URLs, handed out before they were merged.
            return ArticleAliasStore.CanonicalOf(c, id) is { } canonical
                ? RedirectPermanent($"/a/{canonical}{Request.QueryString}")
                : NotFound();
        }
        Article = a;
        AlsoArchivedAt = ArticleAliasStore.OfArticle(c, a.Id).Where(u => u != a.Url).ToList();
        Canonical = Feeds.SiteUrl(Request) + "/a/" + a.Permalink;
        (Newer, Older) = ArticleStore.Neighbours(c, a);
        Related = search.Related(a, 5);
        Script = script;
        BodyLanguage = a.Language;
        BodyHtml = a.Html ?? "";
        if (script == "hans" && a.Language == Languages.Traditional)
        {
            BodyHtml = ScriptView.Convert(BodyHtml, toTraditional: false);
            BodyLanguage = Languages.Simplified;
        }
        else if (script == "hant" && a.Language == Languages.Simplified)
        {
            BodyHtml = ScriptView.Convert(BodyHtml, toTraditional: true);
            BodyLanguage = Languages.Traditional;
        }
        // Media hook: stored images from the archive (Media/MediaView.cs).
        Images = media.For(BodyHtml, a.LeadImage, Feeds.SiteUrl(Request));
        BodyHtml = Images.BodyHtml;
        return Page();
    }

    public string Title => Script switch
    {
        "hans" when Article.Language == Languages.Traditional => Text.ChineseScript.Instance.ToSimplified(Article.Title),
        "hant" when Article.Language == Languages.Simplified => Text.ChineseScript.Instance.ToTraditional(Article.Title),
        _ => Article.Title,
    };

    /// <summary>schema.org NewsArticle; System.Text.Json escapes &lt; and &gt;, so it cannot close its script element.</summary>
    public string JsonLd() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "NewsArticle",
        ["headline"] = Article.Title,
        ["datePublished"] = Display.Iso(Article.PublishedAt),
        ["inLanguage"] = Article.Language,
        ["url"] = Canonical,
        ["isBasedOn"] = Article.Url,
        ["image"] = Images.OgImage,
        ["publisher"] = new Dictionary<string, string> { ["@type"] = "Organization", ["name"] = Article.Source },
        ["keywords"] = Article.TagList,
    });
}
