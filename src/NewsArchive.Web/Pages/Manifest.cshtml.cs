using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using NewsArchive.Web.Site;

namespace NewsArchive.Web.Pages;

/// <summary>
/// The web app manifest, in the UI language: the layout links it with <c>?lang=</c>, since a browser
/// fetches a manifest without cookies.
/// </summary>
public sealed class ManifestModel(IStringLocalizer<SharedResource> l) : PageModel
{
    public ContentResult OnGet()
    {
        var icons = new[] { ("icon-192.png", "192x192", "image/png"), ("icon-512.png", "512x512", "image/png"), ("icon.svg", "any", "image/svg+xml") };
        var manifest = new Dictionary<string, object>
        {
            ["name"] = l["Site.Name"].Value,
            ["short_name"] = l["Site.Name"].Value,
            ["description"] = l["Site.Description"].Value,
            ["lang"] = Display.Culture.Name,
            ["start_url"] = Request.PathBase + "/",
            ["scope"] = Request.PathBase + "/",
            ["display"] = "browser",
            ["background_color"] = "#fdfcf9",
            ["theme_color"] = "#9a3412",
            ["icons"] = icons.Select(i => new Dictionary<string, string> { ["src"] = Request.PathBase + "/icons/" + i.Item1, ["sizes"] = i.Item2, ["type"] = i.Item3 }),
        };
        return Content(JsonSerializer.Serialize(manifest), "application/manifest+json; charset=utf-8");
    }
}
