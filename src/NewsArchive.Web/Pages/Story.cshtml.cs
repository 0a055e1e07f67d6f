using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>
/// /story/{id}: one story thread (docs/stories.md, "Reading"): its headline, outlets, a day-by-day
/// timeline and every article. Any member's permalink is sent to the thread's id (302: the id changes
/// when an older article joins); an id that is no thread of two or more articles is 404.
/// </summary>
[OutputCache(PolicyName = CachePolicies.Fixed)]
public sealed class StoryModel(Database db, Display display) : PageModel
{
    public StoryThread Story { get; private set; } = new("", [], []);

    /// <summary>The headline and the first article's language, in the reader's script.</summary>
    public ScriptView.RowText Headline { get; private set; } = new("", "", "");

    public string Canonical { get; private set; } = "";

    public (TrendPeriods Periods, TrendSeries Series)? Timeline { get; private set; }

    public IActionResult OnGet(string id)
    {
        using var c = db.Open();
        if (StoryThread.Of(c, id) is not { } story)
        {
            return NotFound();
        }
        if (story.Id != id)
        {
            return Redirect($"~/story/{story.Id}{Request.QueryString}");
        }
        Story = story;
        Headline = ScriptView.Row(ScriptPreference.Of(HttpContext), story.Lead);
        Canonical = PublicUrls.SiteUrl(Request) + "/story/" + story.Id;
        Timeline = story.Timeline(display.Zone);
        return Page();
    }
}
