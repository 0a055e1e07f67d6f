using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;

namespace NewsArchive.Tests.Identity;

/// <summary>Revisions (issue #17): near-same copies from one source are one article, the newest shown, the earlier reachable.</summary>
public sealed class RevisionTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private const string Para1 = "<p>市政府周二宣布，城东的新图书馆将于明年春天开放，馆藏图书超过三十万册，并设有儿童阅览区和自习室。</p>";
    private const string Para2 = "<p>The new library in the east of the city will open next spring with more than 300,000 books, a children's room and study rooms.</p>";

    /// <summary>Three versions of one report (a sentence changed under another id; a correction added at the first URL) and a same-titled different report.</summary>
    private static void WriteCorpus(string dir, string[] names)
    {
        const string title = "城东图书馆明年开放 East library opens next year";
        SeedWriter.Write(dir, names[0], title, "https://news.example.com/2023/11/library.html",
            Para1 + Para2 + "<p>originalword Officials said the cost was 80 million yuan.</p>", T);
        SeedWriter.Write(dir, names[1], title, "https://news.example.com/story.php?id=991",
            Para1 + Para2 + "<p>updatedword Officials said the cost was 85 million yuan.</p>", T.AddHours(2));
        SeedWriter.Write(dir, names[2], title, "http://news.example.com/2023/11/library.html?utm_source=x",
            Para1 + Para2 + "<p>updatedword Officials said the cost was 85 million yuan.</p><p>correctionword Correction: an earlier version gave the wrong opening season.</p>", T.AddHours(5));
        // Same source, same title, another day's report: not a revision.
        SeedWriter.Write(dir, names[3], title, "https://news.example.com/2023/12/library.html",
            "<p>图书馆工程进入最后阶段，工人们正在安装书架和照明设备，预计三月完工。</p><p>otherword Work on the library is in its last stage; shelves and lights go in now and it should be done in March.</p>", T.AddDays(30));
    }

    [Fact]
    public async Task An_earlier_version_whose_file_is_deleted_is_no_longer_served()
    {
        using var dir = new TempFolder("revisions-gone");
        var seeds = dir.Folder("seeds");
        WriteCorpus(seeds, ["a.md", "b.md", "c.md", "d.md"]);
        using var app = new AppFactory(seeds);
        await app.WaitForIngestAsync();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var shown = Permalink.For("http://news.example.com/2023/11/library.html?utm_source=x");
        async Task<List<string?>> Versions() => (await client.GetFromJsonAsync<JsonElement>($"/api/articles/{shown}"))
            .GetProperty("revisions").EnumerateArray().Select(r => r.GetProperty("url").GetString()).ToList();
        Assert.Equal(2, (await Versions()).Count);

        File.Delete(Path.Combine(seeds, "a.md"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Versions()).Count != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the deleted file's version is still listed");
            await Task.Delay(200);
        }
        Assert.Equal(["https://news.example.com/story.php?id=991"], await Versions());
    }

    [Theory]
    [InlineData("a.md", "b.md", "c.md", "d.md")]
    [InlineData("c.md", "b.md", "a.md", "d.md")]
    [InlineData("b.md", "c.md", "a.md", "d.md")]
    public async Task The_newest_revision_is_shown_whatever_the_order_and_the_earlier_ones_are_reachable(string v1, string v2, string v3, string other)
    {
        using var dir = new TempFolder("revisions");
        WriteCorpus(dir.Folder("seeds"), [v1, v2, v3, other]);
        using var app = new AppFactory(dir.File("seeds"));
        await app.WaitForIngestAsync();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1")).GetProperty("total").GetInt64());
        // Only the shown revision is indexed.
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/search?q=correctionword")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/search?q=originalword")).GetProperty("total").GetInt64());
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/search?q=otherword")).GetProperty("total").GetInt64());

        var shown = Permalink.For("http://news.example.com/2023/11/library.html?utm_source=x");
        var json = await client.GetFromJsonAsync<JsonElement>($"/api/articles/{shown}");
        Assert.Contains("correctionword", json.GetProperty("text").GetString());
        var revisions = json.GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal(["https://news.example.com/story.php?id=991", "https://news.example.com/2023/11/library.html"],
            revisions.Select(r => r.GetProperty("url").GetString()));

        var html = await client.GetStringAsync($"/a/{shown}");
        Assert.Contains("This article was changed after publication:", html);
        Assert.Contains($"href=\"{revisions[1].GetProperty("page").GetString()}\"", html);

        // The first version: what changed since, paragraph by paragraph.
        var first = await client.GetStringAsync(revisions[1].GetProperty("page").GetString());
        Assert.Contains("<del title=\"Removed\"> originalword Officials said the cost was 80 million yuan</del>", first);
        Assert.Contains("<ins title=\"Added\"> correctionword Correction: an earlier version gave the wrong opening season</ins>", first);
        Assert.Contains("<span> The new library in the east", first);

        // Permalinks of the earlier versions answer 301 to the article; every URL looks it up.
        foreach (var url in new[] { "https://news.example.com/2023/11/library.html", "https://news.example.com/story.php?id=991" })
        {
            using var old = await client.GetAsync($"/a/{Permalink.For(url)}");
            Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
            Assert.Equal($"/a/{shown}", old.Headers.Location?.OriginalString);
            var found = await client.GetFromJsonAsync<JsonElement>("/api/articles/lookup?url=" + Uri.EscapeDataString(url));
            Assert.Equal(shown, found.GetProperty("id").GetString());
        }
        using (var missing = await client.GetAsync($"/a/{shown}/revision/999"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        using var c = NewsArchive.Tests.Fixtures.TestBackend.At(app.DatabasePath).OpenUnpooled();
        Assert.Equal(2, c.ExecuteScalar<long>("SELECT count(*) FROM article_revisions"));
    }

    [Fact]
    public async Task Revision_page_is_localized()
    {
        using var dir = new TempFolder("revisions-zh");
        WriteCorpus(dir.Folder("seeds"), ["a.md", "b.md", "c.md", "d.md"]);
        using var app = new AppFactory(dir.File("seeds"));
        await app.WaitForIngestAsync();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-Hans");
        var shown = Permalink.For("http://news.example.com/2023/11/library.html?utm_source=x");
        var html = await client.GetStringAsync($"/a/{shown}");
        Assert.Contains("本文发布后有改动：", html);
    }
}
