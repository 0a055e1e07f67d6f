using Dapper;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Stories;

/// <summary>The app over the planted summit (<see cref="StoryThreadTests.WritePlanted"/>), threaded at its start-up ingest.</summary>
public sealed class StoryApp : IDisposable
{
    private readonly TempFolder _seeds = new("story-seeds");

    public StoryApp()
    {
        StoryThreadTests.WritePlanted(_seeds.Path);
        Factory = new AppFactory(_seeds.Path);
        Factory.WaitForIngestAsync().GetAwaiter().GetResult();
        // A client that keeps no cookie: a ?script= in one request must not set the next one's script.
        Client = Factory.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        using var c = TestBackend.At(Factory.DatabasePath).Open();
        Articles = c.Query<Row>("SELECT id AS Id, permalink AS Permalink, url AS Url, story_id AS StoryId FROM articles ORDER BY sort_key").ToList();
    }

    public sealed record Row(long Id, string Permalink, string Url, long StoryId);

    public AppFactory Factory { get; }

    public HttpClient Client { get; }

    /// <summary>Every article as the database holds it, oldest first.</summary>
    public IReadOnlyList<Row> Articles { get; }

    /// <summary>The article whose URL contains this.</summary>
    public Row At(string url) => Articles.Single(a => a.Url.Contains(url, StringComparison.Ordinal));

    /// <summary>The summit's articles, oldest first: RFI, CNA, Zaobao.</summary>
    public IReadOnlyList<Row> Summit => Articles.Where(a => a.StoryId == At("/20250714-").StoryId).ToList();

    public void Dispose()
    {
        Factory.Dispose();
        _seeds.Dispose();
    }
}
