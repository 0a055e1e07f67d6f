using Microsoft.AspNetCore.OutputCaching;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Pages;

/// <summary>/a/{id}: one article at its permalink; a trailing slug is accepted and ignored.</summary>
[OutputCache(PolicyName = CachePolicies.Article)]
public sealed class ArticleModel(Database db, SearchEngine search, Media.MediaView media, Display display, ArchiveStats stats) : PageModel
{
    public ArticleRow Article { get; private set; } = new();

    /// <summary>The outlet's name in the UI's language (the JSON-LD publisher).</summary>
    public string OutletName => display.Outlet(Article.Outlet);
    public string BodyHtml { get; private set; } = "";
    public string BodyLanguage { get; private set; } = "";
    public string Script { get; private set; } = ScriptPreference.Original;
    public ArticleRow? Newer { get; private set; }
    public ArticleRow? Older { get; private set; }
    public IReadOnlyList<ArticleRow> Related { get; private set; } = [];

    /// <summary>The article's story thread, whose other articles replace the related ones; null when it is alone.</summary>
    public StoryThread? Story { get; private set; }
    public string Canonical { get; private set; } = "";
    public Media.ArticleImages Images { get; private set; } = new("", null, null);
    public IReadOnlyList<string> AlsoArchivedAt { get; private set; } = [];

    /// <summary>The article's earlier revisions, newest first (Pages/Revision.cshtml shows one).</summary>
    public IReadOnlyList<ArticleRevision> Revisions { get; private set; } = [];

    /// <summary>The search that led here (<c>?q=</c>), whose matches are marked; null without one.</summary>
    public SearchQuery? Query { get; private set; }
    public int HitCount { get; private set; }
    public string TitleHtml { get; private set; } = "";
    public string Title { get; private set; } = "";

    /// <summary>Minutes to read the stored text (Text/ReadingTime.cs has the rates).</summary>
    public int ReadingMinutes { get; private set; }

    /// <summary>The article's citation (APA, MLA, Chicago, BibTeX, CSL-JSON), in the "Cite" box.</summary>
    public Citation? Citation { get; private set; }

    public IActionResult OnGet(string id, string? q)
    {
        if (!Permalink.IsWellFormed(id))
        {
            return NotFound();
        }
        using var c = db.Open();
        var a = ArticleStore.GetByPermalink(c, id);
        if (a is null)
        {
            if (TakedownStore.Find(c, id) is not null)
            {
                return StatusCode(StatusCodes.Status410Gone);
            }
            // A permalink of one of the article's other URLs, handed out before they were merged.
            return ArticleAliasStore.CanonicalOf(c, id) is { } canonical
                ? RedirectPermanent($"~/a/{canonical}{Request.QueryString}")
                : NotFound();
        }
        Article = a;
        ReadingMinutes = ReadingTime.Minutes(a.Text);
        AlsoArchivedAt = ArticleAliasStore.OfArticle(c, a.Id).Where(u => u != a.Url).ToList();
        Revisions = ArticleRevisionStore.OfArticle(c, a.Id);
        Canonical = PublicUrls.SiteUrl(Request) + "/a/" + a.Permalink;
        Citation = Citations.Of(c, a, stats, display.Zone, Request);
        (Newer, Older) = ArticleStore.Neighbours(c, a);
        // Its first articles, enough for the box whether or not the article is among them.
        Story = StoryThread.Of(c, a.Permalink, StoryThread.Elsewhere + 1);
        Related = Story is null ? search.Related(a, 5) : [];
        Script = ScriptPreference.Of(HttpContext);
        var view = ScriptView.For(Script, a.Language);
        BodyLanguage = view?.Language ?? a.Language;
        Title = view is null ? a.Title : ScriptView.Text(a.Id, "title", view, a.Title);
        TitleHtml = WebUtility.HtmlEncode(Title);
        BodyHtml = a.Html ?? "";
        if (SearchQuery.Parse(q) is { Problem: null, HasPositive: true } query)
        {
            // Matched on the stored text, as search matched it; the marks land on the converted text.
            Query = query;
            string[] marked;
            (marked, HitCount) = HitMarks.Mark(query, view?.Target, WebUtility.HtmlEncode(a.Title), BodyHtml);
            (TitleHtml, BodyHtml) = (marked[0], marked[1]);
        }
        else if (view is not null)
        {
            BodyHtml = ScriptView.Html(a.Id, view, BodyHtml);
        }
        // Media hook: stored images from the archive (Media/MediaView.cs).
        Images = media.For(BodyHtml, a.LeadImage, PublicUrls.SiteUrl(Request), Request.PathBase);
        BodyHtml = Images.BodyHtml;
        return Page();
    }

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
        ["publisher"] = new Dictionary<string, string> { ["@type"] = "Organization", ["name"] = OutletName },
        ["author"] = Article.Byline is { } byline
            ? new Dictionary<string, string> { ["@type"] = "Person", ["name"] = byline }
            : new Dictionary<string, string> { ["@type"] = "Organization", ["name"] = OutletName },
        ["keywords"] = Article.TagList,
    });
}
