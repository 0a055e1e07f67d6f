using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Hardening;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Operator;

/// <summary>takedown and restore, run as the built program against the database a running site serves.</summary>
public sealed class TakedownTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private static async Task<long> SearchTotalAsync(HttpClient client, string q) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/search?q={q}")).GetProperty("total").GetInt64();

    [Fact]
    public async Task A_takedown_answers_410_leaves_lists_search_feed_and_sitemap_survives_a_reingest_and_restore_undoes_it()
    {
        using var t = new TempDatabase("takedown");
        const string Url = "https://example.com/news/zebracorn";
        var file = SeedWriter.Write(t.Seeds, "gone.md", "Zebracorn sighted", Url, "<p>A zebracorn was sighted downtown.</p>", DateTimeOffset.UtcNow.AddDays(-1));
        SeedWriter.Write(t.Seeds, "stays.md", "Other news", "https://example.com/news/other", "<p>Nothing unusual.</p>", DateTimeOffset.UtcNow.AddDays(-2));
        using var app = new AppFactory(t.Seeds, t.Path);
        var client = await app.ClientWithArticlesAsync(2);
        var permalink = Permalink.For(Url);
        var pages = new[] { "/", "/feed.atom", "/sitemap-1.xml", "/api/articles" };
        foreach (var page in pages)
        {
            Assert.Contains(permalink, await client.GetStringAsync(page), StringComparison.Ordinal);
        }
        Assert.Equal(1, await SearchTotalAsync(client, "zebracorn"));

        var run = await Child.RunAsync(["takedown", $"https://archive.example/a/{permalink}/zebracorn", "--reason", "test", "--db", t.Path], Bound);
        Assert.Equal(0, run.ExitCode);

        var gone = await client.GetAsync($"/a/{permalink}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Contains("这篇文章已从存档中删除。", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var inEnglish = new HttpRequestMessage(HttpMethod.Get, $"/a/{permalink}");
        inEnglish.Headers.AcceptLanguage.ParseAdd("en");
        var english = await client.SendAsync(inEnglish);
        Assert.Contains("This article has been removed from the archive.", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var page in pages)
        {
            Assert.DoesNotContain(permalink, await client.GetStringAsync(page), StringComparison.Ordinal);
        }
        Assert.Equal(0, await SearchTotalAsync(client, "zebracorn"));

        // The same file changed and ingested again: still gone, from the index too.
        File.AppendAllText(file, "<p>Updated.</p>\n");
        await new Ingester(TestBackend.At(t.Path)).RunAsync([t.Seeds]);
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/a/{permalink}")).StatusCode);
        Assert.Equal(0, await SearchTotalAsync(client, "zebracorn"));
        Assert.Equal(1, await SearchTotalAsync(client, "unusual"));

        run = await Child.RunAsync(["takedown", Url, "--db", t.Path], Bound);
        Assert.Contains("already taken down", run.Stderr, StringComparison.Ordinal);
        run = await Child.RunAsync(["takedown", "https://example.com/never", "--db", t.Path], Bound);
        Assert.Equal(1, run.ExitCode);

        run = await Child.RunAsync(["restore", permalink, "--db", t.Path], Bound);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/a/{permalink}")).StatusCode);
        Assert.Equal(1, await SearchTotalAsync(client, "zebracorn"));
        Assert.Contains(permalink, await client.GetStringAsync("/feed.atom"), StringComparison.Ordinal);
    }
}
