using System.Globalization;
using NewsArchive.Web.Model;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Api;

/// <summary>The JSON shape of an article in lists.</summary>
public sealed record ArticleJson(string Id, string Url, string Title, string Source, string Language, string? Published, string Permalink)
{
    public static ArticleJson From(ArticleRow r) =>
        new(r.Permalink, r.Url, r.Title, r.Source, r.Language, Iso(r.PublishedAt), $"/a/{r.Permalink}");

    public static string? Iso(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}

public sealed record PageJson<T>(long Total, int Page, int Size, IReadOnlyList<T> Results);

public sealed record ErrorJson(string Error);

/// <summary>/api/articles: lists and single articles as JSON.</summary>
public static class ArticlesApi
{
    public const int MaxPageSize = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/articles", (HttpContext ctx, Database db, ArchiveStats stats) =>
        {
            if (!Paging.TryRead(ctx.Request, out var page, out var size, out var error) || !TryReadFilter(ctx.Request, out var filter, out error))
            {
                return Results.BadRequest(new ErrorJson(error));
            }
            if (!stats.IsSource(filter.Source))
            {
                return UnknownSource;
            }
            using var c = db.Open();
            using var stop = StatementCancellation.Interrupt(c, ctx.RequestAborted);
            var total = ArticleStore.Count(c, filter);
            var rows = ArticleStore.Page(c, filter, (page - 1) * size, size, total);
            return Results.Ok(new PageJson<ArticleJson>(total, page, size, rows.Select(ArticleJson.From).ToList()));
        }).CacheOutput(CachePolicies.ArticlesApi);

        app.MapGet("/api/articles/{id}", (string id, Database db) =>
        {
            using var c = db.Open();
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
                source = r.Source,
                language = r.Language,
                published = ArticleJson.Iso(r.PublishedAt),
                permalink = $"/a/{r.Permalink}",
                tags = r.TagList,
                excerpt = r.Excerpt,
                leadImage = r.LeadImage,
                text = r.Text,
                html = r.Html,
            });
        }).CacheOutput(CachePolicies.Fixed);
    }

    /// <summary>The answer for a source the archive does not have (the value is not echoed).</summary>
    public static readonly IResult UnknownSource = Results.NotFound(new ErrorJson("no such source"));

    /// <summary>Dates outside these years are a mistake or a probe; inside, any day is valid.</summary>
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Latest = new(2200, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads the optional source, lang, from and to (yyyy-MM-dd, inclusive) filters.</summary>
    public static bool TryReadFilter(HttpRequest req, out ArticleFilter filter, out string error, string languageKey = "lang")
    {
        filter = new ArticleFilter();
        error = "";
        string? Param(string name) => req.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        var lang = Param(languageKey);
        if (lang is not null && !Model.Languages.All.Contains(lang))
        {
            error = $"{languageKey} must be one of zh-Hans, zh-Hant, en";
            return false;
        }
        DateTimeOffset? from = null, to = null;
        foreach (var (name, isTo) in new[] { ("from", false), ("to", true) })
        {
            if (Param(name) is not { } v)
            {
                continue;
            }
            if (!DateTimeOffset.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                || d < Earliest || d > Latest)
            {
                error = $"{name} must be a date yyyy-MM-dd from 1900-01-01 to 2200-12-31";
                return false;
            }
            if (isTo)
            {
                to = d.AddDays(1);
            }
            else
            {
                from = d;
            }
        }
        filter = new ArticleFilter(Param("source"), lang, from, to);
        return true;
    }
}

/// <summary>page (1-based) and size (1..100) from the query string.</summary>
public static class Paging
{
    public static bool TryRead(HttpRequest req, out int page, out int size, out string error, int defaultSize = 20)
    {
        page = 1;
        size = defaultSize;
        error = "";
        if (req.Query["page"].FirstOrDefault() is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1 || page > 1_000_000))
        {
            error = "page must be a whole number from 1 to 1000000";
            return false;
        }
        if (req.Query["size"].FirstOrDefault() is { } s && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > ArticlesApi.MaxPageSize))
        {
            error = $"size must be a whole number from 1 to {ArticlesApi.MaxPageSize}";
            return false;
        }
        return true;
    }
}
