using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Pages;

/// <summary>/trends and /trends.csv over the dev archive: every count is the total /api/search gives for its period and outlet.</summary>
[Collection(DevCorpusCollection.Name)]
public sealed class TrendsTests(DevCorpusDb dev) : IDisposable
{
    private readonly AppFactory _app = new(seeds: null, dev.Db.Path);

    public void Dispose() => _app.Dispose();

    private sealed record Row(string Period, string Query, string Outlet, long Count, bool LowerBound);

    private static string Q(params string[] queries) => string.Join('&', queries.Select(q => "q=" + Uri.EscapeDataString(q)));

    private async Task<List<Row>> Csv(string query)
    {
        var r = await _app.CreateClient().GetAsync("/trends.csv?" + query);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/csv", r.Content.Headers.ContentType?.MediaType);
        var lines = (await r.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("period,query,outlet,count,lower_bound", lines[0]);
        // No field of these queries needs quoting.
        return lines.Skip(1).Select(l => l.Split(',')).Select(f => new Row(f[0], f[1], f[2], long.Parse(f[3], CultureInfo.InvariantCulture), f[4] == "true")).ToList();
    }

    private async Task<(long Total, bool LowerBound)> ApiTotal(string q, string from, string to, string? source = null)
    {
        var url = $"/api/search?size=1&q={Uri.EscapeDataString(q)}&from={from}&to={to}" + (source is null ? "" : "&source=" + Uri.EscapeDataString(source));
        var json = JsonDocument.Parse(await _app.CreateClient().GetStringAsync(url)).RootElement;
        return (json.GetProperty("total").GetInt64(), json.GetProperty("totalIsLowerBound").GetBoolean());
    }

    /// <summary>A month's first and last day (the CSV names a month 2020-06).</summary>
    private static (string From, string To) Month(string period)
    {
        var first = DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), first.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>The largest cells, some small ones, and cells with no row (zero) of an outlet and a month that have others.</summary>
    private static IEnumerable<(string Period, string Outlet, long Count, bool LowerBound)> Sample(List<Row> rows)
    {
        var cells = rows.OrderByDescending(r => r.Count).ThenBy(r => r.Period, StringComparer.Ordinal).ToList();
        var picked = cells.Take(4).Concat(cells.TakeLast(2)).Concat(cells.Where((_, i) => i % 7 == 3).Take(3))
            .Select(r => (r.Period, r.Outlet, r.Count, r.LowerBound)).Distinct().ToList();
        var zeros = rows.Select(r => r.Outlet).Distinct().SelectMany(o => rows.Select(r => r.Period).Distinct().Select(p => (p, o)))
            .Where(x => !rows.Any(r => r.Period == x.p && r.Outlet == x.o)).Take(2).Select(x => (x.p, x.o, 0L, false));
        return picked.Concat(zeros);
    }

    [CorpusTheory]
    [InlineData("特朗普 OR 川普")]
    [InlineData("title:疫情")]
    [InlineData("台湾")]
    [InlineData("vaccine")]
    [InlineData("特朗普 拜登 | -中国")]
    public async Task Each_months_count_per_outlet_is_the_search_apis_total_for_that_month_and_outlet(string query)
    {
        var rows = await Csv(Q(query) + "&by=month");
        Assert.True(rows.Count >= 3, $"{query}: {rows.Count} rows");
        Assert.All(rows, r => Assert.Equal(query, r.Query));
        Assert.DoesNotContain(rows, r => r.LowerBound);
        foreach (var (period, outlet, count, _) in Sample(rows))
        {
            var (from, to) = Month(period);
            Assert.Equal((count, false), await ApiTotal(query, from, to, outlet));
        }
        // A month over every outlet: the page's total column links to that month's search, whose API total it shows.
        var html = await _app.CreateClient().GetStringAsync("/trends?lang=en&by=month&" + Q(query));
        var totals = Regex.Matches(html, "<td><a href=\"/search\\?q=[^\"&]+&amp;from=([\\d-]+)&amp;to=([\\d-]+)\">([\\d,]+)</a></td>\\s*</tr>");
        Assert.NotEmpty(totals);
        foreach (var m in totals.Take(4))
        {
            var n = long.Parse(m.Groups[3].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            Assert.Equal((n, false), await ApiTotal(query, m.Groups[1].Value, m.Groups[2].Value));
            Assert.Equal(n, rows.Where(r => Month(r.Period).From == m.Groups[1].Value).Sum(r => r.Count));
        }
    }

    [CorpusFact]
    public async Task A_text_checked_query_with_more_candidates_than_the_check_takes_says_which_counts_are_lower_bounds()
    {
        // An alternative that is an exclusion needs the text checked: of the 3,784 articles with 美国, the newest 2,000.
        const string Query = "美国 特朗普 | -中国";
        var rows = await Csv(Q(Query) + "&by=month");
        Assert.Contains(rows, r => r.LowerBound);
        Assert.Contains(rows, r => !r.LowerBound);
        // The newest months are exact; the months before the oldest checked article are at least.
        var exact = rows.Where(r => !r.LowerBound).Select(r => r.Period).ToHashSet();
        Assert.True(rows.Where(r => r.LowerBound).All(r => exact.All(p => string.CompareOrdinal(r.Period, p) <= 0)));
        foreach (var (period, outlet, count, lowerBound) in Sample(rows).Where(s => s.Count > 0))
        {
            var (from, to) = Month(period);
            var (total, apiLowerBound) = await ApiTotal(Query, from, to, outlet);
            Assert.True(lowerBound ? count <= total : count == total && !apiLowerBound, $"{period} {outlet}: {count} (≥ {lowerBound}) vs {total}");
        }
        var html = await _app.CreateClient().GetStringAsync("/trends?lang=en&" + Q(Query));
        Assert.Contains("counts marked ≥ are lower bounds", html);
        Assert.Contains(">≥ ", html);
    }

    [CorpusFact]
    public async Task Spellings_of_one_word_count_the_same_and_different_words_differ()
    {
        static IEnumerable<(string, string, long)> Cells(List<Row> rows) => rows.Select(r => (r.Period, r.Outlet, r.Count));
        var hant = await Csv(Q("臺灣"));
        var hans = await Csv(Q("台湾"));
        Assert.NotEmpty(hans);
        Assert.Equal(Cells(hans), Cells(hant));
        var both = await Csv(Q("特朗普", "川普"));
        var trump = both.Where(r => r.Query == "特朗普").Sum(r => r.Count);
        var chuan = both.Where(r => r.Query == "川普").Sum(r => r.Count);
        Assert.True(trump > 0 && chuan > 0 && trump != chuan, $"{trump} {chuan}");
        Assert.Equal((trump, false), await ApiTotal("特朗普", "1900-01-01", "2200-12-31"));
        Assert.Equal((chuan, false), await ApiTotal("川普", "1900-01-01", "2200-12-31"));
    }

    [CorpusFact]
    public async Task A_short_range_is_counted_per_day_a_year_per_week_and_each_period_is_its_search()
    {
        var client = _app.CreateClient();
        var days = await client.GetStringAsync("/trends?lang=en&from=2020-03-01&to=2020-03-31&" + Q("疫情"));
        Assert.Contains("Counted per day, from Mar 1, 2020 to Mar 31, 2020.", days);
        Assert.Contains("<th scope=\"row\">Mar 31, 2020</th>", days);
        var weeks = await client.GetStringAsync("/trends?lang=en&from=2020-01-01&to=2020-12-31&" + Q("疫情", "vaccine"));
        Assert.Contains("Counted per week, from Jan 1, 2020 to Dec 31, 2020.", weeks);
        // 2020-01-01 is a Wednesday: the first week is its first five days, the next starts on Monday the 6th.
        Assert.Contains("<th scope=\"row\">week of Jan 1, 2020</th>", weeks);
        Assert.Contains("<th scope=\"row\">week of Jan 6, 2020</th>", weeks);
        var rows = await Csv("from=2020-01-01&to=2020-12-31&" + Q("疫情"));
        foreach (var week in rows.GroupBy(r => r.Period).OrderByDescending(g => g.Sum(r => r.Count)).Take(3))
        {
            var start = DateOnly.ParseExact(week.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(DayOfWeek.Monday, start.DayOfWeek);
            var to = start.AddDays(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal((week.Sum(r => r.Count), false), await ApiTotal("疫情", week.Key, to));
        }
    }

    [CorpusFact]
    public async Task Periods_and_strings_are_in_the_readers_language()
    {
        var client = _app.CreateClient();
        var url = "/trends?by=month&from=2020-06-01&to=2020-07-31&" + Q("疫情");
        var en = await client.GetStringAsync(url + "&lang=en");
        Assert.Contains("<th scope=\"row\">June 2020</th>", en);
        Assert.Contains("<caption>Matches per month</caption>", en);
        Assert.Contains("<svg class=\"trend-chart\" role=\"img\"", en);
        var hans = await client.GetStringAsync(url + "&lang=zh-Hans");
        Assert.Contains("<th scope=\"row\">2020年6月</th>", hans);
        Assert.Contains("每月匹配数", hans);
        var hant = await client.GetStringAsync(url + "&lang=zh-Hant");
        Assert.Contains("<th scope=\"row\">2020年6月</th>", hant);
        Assert.Contains("每月匹配數", hant);
        // The permalink and the CSV link carry the view's parameters; the search page links here.
        Assert.Contains("href=\"/trends.csv?q=%E7%96%AB%E6%83%85&amp;from=2020-06-01&amp;to=2020-07-31&amp;by=month\"", en);
        var search = await client.GetStringAsync("/search?lang=en&q=" + Uri.EscapeDataString("疫情"));
        Assert.Contains("<a href=\"/trends?q=%E7%96%AB%E6%83%85\">See this over time</a>", search);
    }

    [CorpusTheory]
    [InlineData("q=a&q=b&q=c&q=d&q=e&q=f", "At most 5 queries at once.", "at most 5 queries")]
    [InlineData("q=%22abc", "A quote is opened and never closed", "a quote is opened and never closed")]
    [InlineData("q=x&from=2020-13-01", "dates are days written 2024-06-19", "from must be a date")]
    [InlineData("q=x&from=2021-01-01&to=2020-01-01", "The start date is after the end date.", "from is after to")]
    [InlineData("q=x&by=hour", "the period day, week or month", "by must be day, week or month")]
    [InlineData("q=x&by=day&from=1990-01-01&to=2020-01-01", "more than 1,000 periods", "more than 1000 periods")]
    public async Task A_request_it_cannot_draw_is_a_400_with_the_reason_on_the_page_and_in_the_csv(string query, string page, string csv)
    {
        var client = _app.CreateClient();
        var html = await client.GetAsync("/trends?lang=en&" + query);
        Assert.Equal(HttpStatusCode.BadRequest, html.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(page), await html.Content.ReadAsStringAsync());
        var data = await client.GetAsync("/trends.csv?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, data.StatusCode);
        Assert.Contains(csv, await data.Content.ReadAsStringAsync());
    }
}
