namespace NewsArchive.Web.Model;

/// <summary>An earlier copy of an article, kept when a newer one replaced it (Storage/ArticleRevisionStore.cs).</summary>
public sealed class ArticleRevision
{
    public long Id { get; init; }
    public long ArticleId { get; init; }
    public string Permalink { get; init; } = "";
    public string Url { get; init; } = "";
    public string Title { get; init; } = "";
    public long? Published { get; init; }
    public string? Text { get; init; }
    public string? Html { get; init; }
    public string SourcePath { get; init; } = "";

    public DateTimeOffset? PublishedAt => Published is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
