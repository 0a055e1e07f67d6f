using System.Data.Common;
using System.Globalization;
using NewsArchive.Web.Model;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Api;

/// <summary>An outlet in JSON: its id (the source filter's value) and its names by UI language.</summary>
public sealed record OutletJson(string Id, IReadOnlyDictionary<string, string> Names)
{
    public static OutletJson From(Outlet o) =>
        new(o.Id, Languages.All.ToDictionary(l => l, o.Name));
}

/// <summary>The JSON shape of an article in lists; Source is the outlet's id.</summary>
public sealed record ArticleJson(string Id, string Url, string Title, string Source, OutletJson Outlet, string? Byline, string Language, string? Published, string Permalink, IReadOnlyList<string> Tags)
{
    public static ArticleJson From(ArticleRow r, ArchiveStats stats) =>
        new(r.Permalink, r.Url, r.Title, r.Outlet, OutletJson.From(stats.Outlet(r.Outlet)), r.Byline, r.Language, Iso(r.PublishedAt), $"/a/{r.Permalink}", r.TagList);

    public static string? Iso(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}

public sealed record PageJson<T>(long Total, int Page, int Size, IReadOnlyList<T> Results);

/// <summary>/api/articles: lists and single articles as JSON.</summary>
public static class ArticlesApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/articles", (HttpContext ctx, Database db, ArchiveStats stats, TimeZoneInfo zone) =>
        {
            if (!RequestParameters.TryReadPaging(ctx.Request, out var page, out var size, out var error)
                || !RequestParameters.TryReadFilter(ctx.Request, zone, out var filter, out error))
            {
                return Results.BadRequest(new ErrorJson(error));
            }
            if (!stats.IsOutlet(filter.Outlet))
            {
                return UnknownSource;
            }
            using var c = db.Open();
            using var stop = StatementCancellation.Interrupt(c, ctx.RequestAborted);
            var total = ArticleStore.Count(c, filter);
            var rows = ArticleStore.Page(c, filter, (page - 1) * size, size, total);
            return Results.Ok(new PageJson<ArticleJson>(total, page, size, rows.Select(r => ArticleJson.From(r, stats)).ToList()));
        }).CacheOutput(CachePolicies.ArticlesApi);

        // Any URL an article was archived under, in any of its variants (Model/UrlIdentity.Key).
        app.MapGet("/api/articles/lookup", (string? url, Database db, ArchiveStats stats) =>
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                return Results.BadRequest(new ErrorJson("the 'url' parameter is required"));
            }
            using var c = db.Open();
            return ArticleAliasStore.PermalinkByKey(c, UrlIdentity.Key(url)) is { } permalink
                ? Article(c, permalink, stats)
                : Results.NotFound(new ErrorJson("the archive holds no article at that URL"));
        });

        app.MapGet("/api/articles/{id}", (string id, Database db, ArchiveStats stats, HttpRequest request) =>
        {
            using var c = db.Open();
            // The id of one of its other URLs, handed out before they were merged: the canonical one.
            if (ArticleStore.GetByPermalink(c, id) is null && ArticleAliasStore.CanonicalOf(c, id) is { } canonical)
            {
                return Results.Redirect($"{request.PathBase}/api/articles/{canonical}", permanent: true);
            }
            return Article(c, id, stats);
        }).CacheOutput(CachePolicies.Fixed);
    }

    private static IResult Article(DbConnection c, string id, ArchiveStats stats)
    {
        var r = ArticleStore.GetByPermalink(c, id);
        if (r is null)
        {
            return Results.NotFound(new ErrorJson($"no article with id '{id}'"));
        }
        return Results.Ok(new
        {
            id = r.Permalink,
            url = r.Url,
            title = r.Title,
            titleDerived = r.TitleDerived,
            source = r.Outlet,
            outlet = OutletJson.From(stats.Outlet(r.Outlet)),
            byline = r.Byline,
            language = r.Language,
            published = ArticleJson.Iso(r.PublishedAt),
            permalink = $"/a/{r.Permalink}",
            tags = r.TagList,
            excerpt = r.Excerpt,
            leadImage = r.LeadImage,
            text = r.Text,
            html = r.Html,
            alsoArchivedAt = ArticleAliasStore.OfArticle(c, r.Id).Where(u => u != r.Url).ToList(),
            // Earlier versions, newest first; each one's page shows what changed.
            revisions = ArticleRevisionStore.OfArticle(c, r.Id).Select(v => new
            {
                url = v.Url,
                title = v.Title,
                published = ArticleJson.Iso(v.PublishedAt),
                page = $"/a/{r.Permalink}/revision/{v.Id}",
            }).ToList(),
            // Its story thread (docs/stories.md) with the thread's first articles, as many as the page's box reads; null when it is alone.
            story = StoryThread.Of(c, r.Permalink, StoryThread.Elsewhere + 1) is { } s ? StoryJson.From(s, stats) : null,
        });
    }

    /// <summary>The answer for an outlet the archive does not have (the value is not echoed).</summary>
    public static readonly IResult UnknownSource = Results.NotFound(new ErrorJson("no such source"));
}
