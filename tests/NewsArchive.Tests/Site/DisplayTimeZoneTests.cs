using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Site;

/// <summary>
/// Days are the display time zone's (Asia/Shanghai, UTC+8, by default) everywhere: the from/to
/// parameters of /search and /api/*, /archive/… and the sidebar's period counts.
/// </summary>
public sealed class DisplayTimeZoneTests(DisplayTimeZoneTests.App app) : IClassFixture<DisplayTimeZoneTests.App>
{
    /// <summary>Three articles just either side of midnight in Shanghai, all on the UTC day before.</summary>
    public sealed class App : IDisposable
    {
        private readonly TempFolder _seeds = new("tz-seeds");

        public App()
        {
            Write("july.md", "七月一日文章", "2024-06-30T17:00:00Z");
            Write("june.md", "六月三十日文章", "2024-06-30T15:00:00Z");
            Write("new-year.md", "新年文章", "2024-12-31T16:30:00Z");
            Factory = new AppFactory(_seeds.Path);
            Client = Factory.ClientWithArticlesAsync(3).GetAwaiter().GetResult();
        }

        public AppFactory Factory { get; }

        public HttpClient Client { get; }

        private void Write(string name, string title, string published) =>
            SeedWriter.Write(_seeds.Path, name, title, $"https://example.com/{name}", "<p>时区测试正文</p>", DateTimeOffset.Parse(published, System.Globalization.CultureInfo.InvariantCulture));

        public void Dispose()
        {
            Factory.Dispose();
            _seeds.Dispose();
        }
    }

    private readonly HttpClient _client = app.Client;

    [Theory]
    [InlineData("/api/articles?from=2024-07-01&to=2024-07-01")]
    [InlineData("/api/search?q=%E6%97%B6%E5%8C%BA%E6%B5%8B%E8%AF%95&from=2024-07-01&to=2024-07-01")]
    public async Task Api_dates_are_days_in_the_display_time_zone(string url)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>(url);
        var urls = page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("url").GetString()).ToList();
        Assert.Equal(["https://example.com/july.md"], urls);
    }

    [Fact]
    public async Task The_api_day_before_holds_the_article_of_23_00()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/articles?from=2024-06-30&to=2024-06-30");
        var urls = page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("url").GetString()).ToList();
        Assert.Equal(["https://example.com/june.md"], urls);
    }

    [Theory]
    [InlineData("/search?q=%E6%97%B6%E5%8C%BA%E6%B5%8B%E8%AF%95&from=2024-07-01&to=2024-07-01")]
    [InlineData("/archive/2024/07/01")]
    [InlineData("/archive/2024/7")]
    public async Task Pages_show_the_display_time_zone_day(string url)
    {
        var html = await _client.GetStringAsync(url);
        Assert.Contains("七月一日文章", html);
        Assert.DoesNotContain("六月三十日文章", html);
        Assert.DoesNotContain("新年文章", html);
    }

    [Fact]
    public async Task The_sidebar_counts_months_and_years_in_the_display_time_zone()
    {
        var year = await _client.GetStringAsync("/archive/2024");
        Assert.Contains(">2024年7月</a> <span class=\"n\">1</span>", year);
        Assert.Contains(">2024年6月</a> <span class=\"n\">1</span>", year);
        Assert.DoesNotContain(">2024年12月</a> <span class=\"n\">", year);

        var home = await _client.GetStringAsync("/");
        Assert.Contains(">2025年</a> <span class=\"n\">1</span>", home);
        Assert.Contains(">2024年</a> <span class=\"n\">2</span>", home);
    }

    [Fact]
    public async Task A_day_outside_the_range_is_a_bad_request()
    {
        var r = await _client.GetAsync("/api/articles?from=1899-12-31");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("from must be a date", await r.Content.ReadAsStringAsync());
    }
}
