using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Api;

/// <summary>
/// A story thread in JSON: its id, its page, its headline (the first article's title), its outlets
/// (in the order of their first article) and its articles, oldest first (docs/api.md).
/// </summary>
public sealed record StoryJson(string Id, string Page, string Headline, IReadOnlyList<OutletJson> Outlets, int Total, IReadOnlyList<ArticleJson> Articles)
{
    public static StoryJson From(StoryThread s, ArchiveStats stats) =>
        new(s.Id, $"/story/{s.Id}", s.Lead.Title, s.Outlets.Select(o => OutletJson.From(stats.Outlet(o))).ToList(),
            (int)s.Total, s.Articles.Select(a => ArticleJson.From(a, stats)).ToList());
}

/// <summary>/api/stories/{id}: a story thread; a member's permalink is sent to the thread's id, anything else is 404.</summary>
public static class StoriesApi
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/stories/{id}", (string id, Database db, ArchiveStats stats, HttpRequest request) =>
        {
            using var c = db.Open();
            if (StoryThread.Of(c, id) is not { } story)
            {
                return Results.NotFound(new ErrorJson($"no story thread with id '{id}'"));
            }
            // Not permanent: a thread's id changes when an older article joins it.
            return story.Id == id ? Results.Ok(StoryJson.From(story, stats)) : Results.Redirect($"{request.PathBase}/api/stories/{story.Id}");
        }).CacheOutput(CachePolicies.Fixed);
}
