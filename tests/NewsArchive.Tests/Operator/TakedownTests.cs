using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Hardening;
using NewsArchive.Web.Commands;
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

    private const string Body = "<p>A zebracorn was sighted downtown on Tuesday, the third this month.</p>";

    /// <summary>The article's URL in the six ways a feed or a crawler spells it again, and all of them at once.</summary>
    private static readonly string[] Variants =
    [
        "http://example.com/news/zebracorn",
        "https://example.com/news/zebracorn?utm_source=rss",
        "https://www.example.com/news/zebracorn",
        "https://example.com/news/zebracorn#comments",
        "https://example.com/news/zebracorn/",
        "https://EXAMPLE.com/news/zebracorn",
        "http://www.example.com/news/zebracorn/?utm_source=rss&utm_medium=feed#top",
    ];

    [Fact]
    public async Task A_takedown_keeps_out_every_url_variant_and_the_same_text_anywhere_after_a_reingest_and_restore_brings_them_back()
    {
        using var t = new TempDatabase("takedown-identity");
        const string Url = "https://example.com/news/zebracorn";
        var file = SeedWriter.Write(t.Seeds, "gone.md", "Zebracorn sighted", Url, Body, DateTimeOffset.UtcNow.AddDays(-1));
        SeedWriter.Write(t.Seeds, "stays.md", "Other news", "https://example.com/news/other", "<p>Nothing unusual happened in the city today, the council said.</p>");
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        var permalink = Permalink.For(Url);

        Assert.Equal(IngestCommand.Ok, TakedownCommand.Takedown([Url], "test", t.Db));
        // Files arriving later: each variant with a text of its own (kept out by the URL), and the same text
        // at an unrelated address (kept out by the content); the taken-down file itself changed (a re-ingest).
        for (var i = 0; i < Variants.Length; i++)
        {
            SeedWriter.Write(t.Seeds, $"variant{i}.md", "Zebracorn sighted", Variants[i], $"<p>Variant {i}: a zebracorn was sighted downtown on Tuesday.</p>");
        }
        SeedWriter.Write(t.Seeds, "mirror.md", "Zebracorn sighted", "https://mirror.example.org/copies/8812", Body);
        File.AppendAllText(file, "<p>Updated.</p>\n");
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        await new Ingester(t.Db).RunAsync([t.Seeds]);

        using var app = new AppFactory(null, t.Path);
        var client = app.CreateClient();
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1")).GetProperty("total").GetInt64());
        Assert.Equal(0, await SearchTotalAsync(client, "zebracorn"));
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/a/{permalink}")).StatusCode);
        foreach (var url in Variants.Append("https://mirror.example.org/copies/8812"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/articles/lookup?url=" + Uri.EscapeDataString(url))).StatusCode);
        }
        // A variant names the takedown too.
        Assert.Equal(IngestCommand.Ok, TakedownCommand.Takedown([Variants[^1]], null, t.Db));

        Assert.Equal(IngestCommand.Ok, await TakedownCommand.RestoreAsync([Variants[0]], t.Db, OutletTable.Shipped, Transliterations.Shipped));
        // The changed file and its variants are one article again; the mirror holds the text before the change: another.
        Assert.Equal(3, (await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1")).GetProperty("total").GetInt64());
        async Task<string?> IdOf(string url) =>
            (await client.GetFromJsonAsync<JsonElement>("/api/articles/lookup?url=" + Uri.EscapeDataString(url))).GetProperty("id").GetString();
        var id = await IdOf(Url);
        foreach (var url in Variants)
        {
            Assert.Equal(id, await IdOf(url));
        }
        Assert.NotEqual(id, await IdOf("https://mirror.example.org/copies/8812"));
        Assert.Equal(2, await SearchTotalAsync(client, "zebracorn"));
    }
}
