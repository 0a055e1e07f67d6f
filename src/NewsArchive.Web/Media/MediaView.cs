using System.Net;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Media;

/// <summary>An article's images as the page shows them: body, lead image (when the body lacks it), og:image.</summary>
public sealed record ArticleImages(string BodyHtml, string? LeadHtml, string? OgImage);

/// <summary>What the Article page calls: local copies where stored, else the origin or a click-to-load placeholder.</summary>
public sealed class MediaView(Database db, IOptions<MediaOptions> options, IStringLocalizer<SharedResource> localizer)
{
    /// <param name="siteUrl">The site's absolute URL, for og:image.</param>
    /// <param name="pathBase">The path the site is served under ("" at the root), for the page's own links.</param>
    public ArticleImages For(string bodyHtml, string? leadImage, string siteUrl, string pathBase)
    {
        var urls = MediaHtml.ImageUrls(bodyHtml, leadImage);
        Dictionary<string, string> stored;
        using (var c = db.Open())
        {
            stored = MediaStore.StoredHashes(c, urls);
        }
        var click = options.Value.ClickToLoad;
        var labels = new MediaLabels(localizer["Media.Load"], localizer["Media.NotArchived"], localizer["Media.Original"]);
        var lead = leadImage is null || bodyHtml.Contains(leadImage, StringComparison.Ordinal)
            ? null
            : MediaHtml.RewriteImages(
                $"<img class=\"lead\" src=\"{WebUtility.HtmlEncode(leadImage)}\" alt=\"\" loading=\"lazy\" referrerpolicy=\"no-referrer\">", stored, click, labels, pathBase);
        var og = leadImage is not null && MediaHtml.Key(leadImage) is { } key && stored.TryGetValue(key, out var hash) ? siteUrl + MediaHtml.LocalPath(hash) : leadImage;
        return new ArticleImages(MediaHtml.RewriteImages(bodyHtml, stored, click, labels, pathBase), lead, og);
    }
}
