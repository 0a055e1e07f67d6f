using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Stories;

/// <summary>An article alone in its thread: its related articles dated near it come first (Search/SearchEngine.Related).</summary>
public sealed class RelatedNearTests
{
    [Fact]
    public async Task A_title_match_within_sixty_days_comes_before_a_closer_one_years_away()
    {
        using var seeds = new TempFolder("related-near");
        var at = new DateTimeOffset(2026, 7, 14, 9, 0, 0, TimeSpan.Zero);
        SeedWriter.Write(seeds.Path, "now.txt", "普京访问赫尔辛基 会晤芬兰总统", "https://news.example.org/now",
            "<p>俄罗斯总统普京周二抵达芬兰首都赫尔辛基，与芬兰总统会晤。</p>", at);
        // The same headline two years before: the best match by its words alone.
        SeedWriter.Write(seeds.Path, "then.txt", "普京访问赫尔辛基 会晤芬兰总统", "https://news.example.org/then",
            "<p>两年前，普京曾访问赫尔辛基。</p>", at.AddYears(-2));
        // Fewer shared words, 45 days before: beyond a thread's 30 days, within the 60 that come first.
        SeedWriter.Write(seeds.Path, "near.txt", "赫尔辛基筹备接待普京", "https://news.example.org/near",
            "<p>芬兰警方加强首都安保。</p>", at.AddDays(-45));
        using var app = new AppFactory(seeds.Path);
        await app.WaitForIngestAsync();
        string Permalink(string url)
        {
            using var c = TestBackend.At(app.DatabasePath).Open();
            return c.ExecuteScalar<string>("SELECT permalink FROM articles WHERE url = @url", new { url })!;
        }

        var html = await app.CreateClient().GetStringAsync($"/a/{Permalink("https://news.example.org/now")}?lang=en");
        var related = html[html.IndexOf("related-heading", StringComparison.Ordinal)..];
        var links = Regex.Matches(related, "href=\"/a/([0-9a-z]{12})\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([Permalink("https://news.example.org/near"), Permalink("https://news.example.org/then")], links);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/story/{Permalink("https://news.example.org/now")}")).StatusCode);
    }
}
