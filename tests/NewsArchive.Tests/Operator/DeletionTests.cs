using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Commands;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Operator;

/// <summary>A file deleted from the watched folder: real files, the real site with its watcher on, real HTTP.</summary>
public sealed class DeletionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private static readonly string[] Pages = ["/", "/search?q=zebracorn", "/feed.atom"];

    private static string Write(string dir, string name, string url, string body, int daysAgo = 1) =>
        SeedWriter.Write(dir, name, "Zebracorn sighted", url, $"<p>A zebracorn was sighted downtown. {body}</p>", DateTimeOffset.UtcNow.AddDays(-daysAgo));

    private static string Other(string dir) =>
        SeedWriter.Write(dir, "other.md", "Other news", "https://example.com/news/other", "<p>Nothing unusual.</p>", DateTimeOffset.UtcNow.AddDays(-2));

    private const string Url = "https://example.com/news/zebracorn";

    /// <summary>
    /// The site over a fresh database and seeds folder, once it has ingested them: what <paramref name="seed"/>
    /// writes, or by default the article at <see cref="Url"/> in gone.md and another one.
    /// </summary>
    private sealed class Site : IDisposable
    {
        public required TempDatabase Db { get; init; }
        public required AppFactory App { get; init; }
        public required HttpClient Client { get; init; }

        /// <summary>The default seed's file of the article at <see cref="Url"/>.</summary>
        public string Gone => Path.Combine(Db.Seeds, "gone.md");

        public static async Task<Site> StartAsync(string name, Action<string>? seed = null)
        {
            var db = new TempDatabase(name);
            (seed ?? (seeds =>
            {
                Write(seeds, "gone.md", Url, "");
                Other(seeds);
            }))(db.Seeds);
            var app = new AppFactory(db.Seeds, db.Path);
            await app.ClientWithArticlesAsync(2);
            return new Site { Db = db, App = app, Client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }) };
        }

        public void Dispose()
        {
            App.Dispose();
            Db.Dispose();
        }
    }

    /// <summary>Polls until every page satisfies the check; returns how long it took.</summary>
    private static async Task<TimeSpan> UntilAsync(HttpClient client, Func<string, bool> check)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var bodies = await Task.WhenAll(Pages.Select(client.GetStringAsync));
            if (bodies.All(check))
            {
                return clock.Elapsed;
            }
            Assert.True(clock.Elapsed < Within, $"not within {Within.TotalSeconds} s: {string.Join(", ", Pages.Where((_, i) => !check(bodies[i])))}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_deleted_files_article_leaves_list_search_and_feed_within_seconds()
    {
        using var site = await Site.StartAsync("deletion");
        var (t, client) = (site.Db, site.Client);
        var permalink = Permalink.For(Url);
        await UntilAsync(client, b => b.Contains(permalink, StringComparison.Ordinal));

        File.Delete(site.Gone);
        var took = await UntilAsync(client, b => !b.Contains(permalink, StringComparison.Ordinal));
        output.WriteLine($"gone from {string.Join(", ", Pages)} after {took.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/a/{permalink}")).StatusCode);
        Assert.Contains("Other news", await client.GetStringAsync("/"), StringComparison.Ordinal);

        // The same file back: the same permalink answers again.
        Write(t.Seeds, "back.md", Url, "");
        await UntilAsync(client, b => b.Contains(permalink, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/a/{permalink}")).StatusCode);
    }

    [Fact]
    public async Task An_article_stays_while_another_file_holds_it_and_shows_that_files_copy_when_the_stored_one_goes()
    {
        // One article in three files: a.md and b.md one copy (https ranks first, Model/UrlIdentity.Compare, and
        // a.md before b.md), c.md an earlier revision at the http address (dated a day before).
        const string Best = Url;
        const string Next = "http://example.com/news/zebracorn";
        string stored = "", duplicate = "";
        using var site = await Site.StartAsync("deletion-dups", seeds =>
        {
            stored = Write(seeds, "a.md", Best, "Copy A.");
            duplicate = Write(seeds, "b.md", Best, "Copy A.");
            Write(seeds, "c.md", Next, "Copy C.", daysAgo: 2);
            Other(seeds);
        });
        var client = site.Client;
        var first = Permalink.For(Best);
        Assert.Contains("Copy A.", await client.GetStringAsync($"/a/{first}"), StringComparison.Ordinal);

        // A duplicate goes: nothing a reader sees changes.
        File.Delete(duplicate);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await UntilAsync(client, b => b.Contains(first, StringComparison.Ordinal));
        Assert.Contains("Copy A.", await client.GetStringAsync($"/a/{first}"), StringComparison.Ordinal);

        // The stored copy goes: c.md's copy is stored at its own permalink, and the old one redirects to it.
        File.Delete(stored);
        var next = Permalink.For(Next);
        await UntilAsync(client, b => b.Contains(next, StringComparison.Ordinal) && !b.Contains(first, StringComparison.Ordinal));
        var page = await client.GetStringAsync($"/a/{next}");
        Assert.Contains("Copy C.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Copy A.", page, StringComparison.Ordinal);
        var old = await client.GetAsync($"/a/{first}");
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal($"/a/{next}", old.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_taken_down_article_stays_taken_down_when_its_file_goes()
    {
        using var site = await Site.StartAsync("deletion-takedown");
        var (t, client) = (site.Db, site.Client);
        var permalink = Permalink.For(Url);
        Assert.Equal(IngestCommand.Ok, TakedownCommand.Takedown([Url], "test", t.Db));
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/a/{permalink}")).StatusCode);

        File.Delete(site.Gone);
        Write(t.Seeds, "again.md", Url, "Once more.");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/a/{permalink}")).StatusCode);
        Assert.DoesNotContain(permalink, await client.GetStringAsync("/feed.atom"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_walk_that_finds_the_folder_empty_or_most_files_gone_deletes_nothing_unless_allowed()
    {
        using var t = new TempDatabase("deletion-mass");
        var files = Enumerable.Range(0, Ingester.MassDeletion + 21)
            .Select(i => SeedWriter.Write(t.Seeds, $"{i}.md", $"Story {i}", $"https://example.com/{i}", $"<p>Story number {i}.</p>")).ToList();
        Assert.Equal(files.Count, (await new Ingester(t.Db).RunAsync([t.Seeds])).New);
        long Count()
        {
            using var c = t.Db.Open();
            return Web.Storage.ArticleStore.Count(c, new ArticleFilter());
        }

        // An unmounted folder: empty. Refused, with the way out in the message.
        files.ForEach(File.Delete);
        DeletionReport? report = null;
        await new Ingester(t.Db) { OnDeletions = d => report = d }.RunAsync([t.Seeds]);
        Assert.Contains("--allow-deletions", report!.Refused, StringComparison.Ordinal);
        Assert.Equal(files.Count, Count());

        // More than half and more than 100 gone (one file left): refused too.
        SeedWriter.Write(t.Seeds, "0.md", "Story 0", "https://example.com/0", "<p>Story number 0.</p>");
        await new Ingester(t.Db) { OnDeletions = d => report = d }.RunAsync([t.Seeds]);
        Assert.NotNull(report.Refused);
        Assert.Equal(files.Count, Count());

        await new Ingester(t.Db) { AllowMassDeletion = true, OnDeletions = d => report = d }.RunAsync([t.Seeds]);
        Assert.Equal(new DeletionReport(files.Count - 1, files.Count - 1, 0, null), report);
        Assert.Equal(1, Count());
    }
}
