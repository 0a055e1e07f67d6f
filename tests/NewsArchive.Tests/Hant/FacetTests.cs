using System.Text.RegularExpressions;

namespace NewsArchive.Tests.Hant;

/// <summary>The search page's source and period facets: each count is the total of the search it links to.</summary>
public sealed class FacetTests(HantApp app) : IClassFixture<HantApp>
{
    private async Task<long> Total(string url)
    {
        var html = await app.Html(url, "en");
        var m = Regex.Match(html, "<p class=\"count\" role=\"status\">(?:(\\d+) results|(1) result)</p>");
        Assert.True(m.Success, url);
        return long.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<(string Href, string Label, long Count)> Facets(string html, string list) =>
        Regex.Match(html, $"<ul class=\"chips {list}\">(.*?)</ul>", RegexOptions.Singleline).Groups[1].Value is var ul
            ? Regex.Matches(ul, "<a href=\"([^\"]+)\">([^<]+) <span class=\"n\">(\\d+)</span></a>")
                .Select(m => (m.Groups[1].Value, m.Groups[2].Value, long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList()
            : [];

    [Fact]
    public async Task Source_and_year_counts_equal_the_totals_of_the_narrowed_searches()
    {
        var html = await app.Html("/search?q=" + Uri.EscapeDataString("臺灣"), "en");
        var sources = Facets(html, "facet-sources");
        Assert.Equal([("example.com", 2L), ("example.org", 2L)], sources.Select(s => (s.Label, s.Count)));
        var years = Facets(html, "facet-periods");
        // The turn of the year counts in the display time zone: 2020-12-31T17:00Z is 2021 in Shanghai.
        Assert.Equal([("2021", 3L), ("2022", 1L)], years.Select(y => (y.Label, y.Count)));
        foreach (var (href, _, count) in sources.Concat(years))
        {
            Assert.Equal(count, await Total(href));
        }
        // A bar per year, each a link with its count as its name.
        Assert.Equal(2, Regex.Count(html, "<a href=\"[^\"]*from=\\d{4}-01-01&to=\\d{4}-12-31\" aria-label=\"\\d{4}: \\d+\">"));
    }

    [Fact]
    public async Task Inside_a_year_the_periods_are_its_months()
    {
        var html = await app.Html("/search?q=" + Uri.EscapeDataString("台湾") + "&from=2021-01-01&to=2021-12-31", "en");
        var months = Facets(html, "facet-periods");
        Assert.Equal([("January 2021", 1L), ("March 2021", 1L), ("November 2021", 1L)], months.Select(m => (m.Label, m.Count)));
        foreach (var (href, _, count) in months)
        {
            Assert.Contains("from=2021-", href);
            Assert.Equal(count, await Total(href));
        }
        Assert.Contains("Matches per month in 2021", html);
    }
}
