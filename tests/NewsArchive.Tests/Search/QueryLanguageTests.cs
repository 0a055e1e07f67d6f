using System.Net;
using System.Text.Json;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Search;

namespace NewsArchive.Tests.Search;

/// <summary>
/// The researchers' query language: OR (and |), title:, source:, lang:, after:, before:, date:,
/// and a clear refusal, in every UI language and in the API, of a query the parser cannot take.
/// </summary>
public sealed class QueryLanguageTests(SeedsApp app) : IClassFixture<SeedsApp>
{
    private static string Groups(string q) => string.Join(" & ", SearchQuery.Parse(q).Groups.Select(g => string.Join(" | ", g.Any)));

    [Theory]
    [InlineData("特朗普 OR 川普", "\"川普\" | \"特朗普\"")]
    [InlineData("特朗普 | 川普 关税", "\"川普\" | \"特朗普\" & \"关税\"")]
    [InlineData("口罩 OR 疫苗 OR 封城", "\"口罩\" | \"封城\" | \"疫苗\"")]
    [InlineData("新冠 OR 肺炎 -武汉", "\"新冠\" | \"肺炎\" & -\"武汉\"")]
    [InlineData("a or b", "\"a\" & \"or\" & \"b\"")]
    [InlineData("\"OR\" x", "\"or\" & \"x\"")]
    [InlineData("a|b", "\"a|b\"")]
    [InlineData("title:臺灣", "title:\"台湾\"")]
    [InlineData("title:香港 -title:国安", "title:\"香港\" & -title:\"国安\"")]
    [InlineData("title:\"human  rights\" OR 人权", "\"人权\" | title:\"human rights\"")]
    [InlineData("-a OR b", "\"b\" | -\"a\"")]
    [InlineData("https://example.com/a?b=c", "\"https://example.com/a?b=c\"")]
    [InlineData("10:30 c:d", "\"10:30\" & \"c:d\"")]
    [InlineData("a a OR b", "\"a\" & \"a\" | \"b\"")]
    public void Parses_or_and_title_as_the_reference_reads_them(string q, string groups)
    {
        Assert.Null(SearchQuery.Parse(q).Problem);
        Assert.Equal(groups, Groups(q));
    }

    [Theory]
    [InlineData("OR a", "or-side", "OR")]
    [InlineData("a OR", "or-side", "OR")]
    [InlineData("a OR OR b", "or-side", "OR")]
    [InlineData("a | | b", "or-side", "|")]
    [InlineData("source:rfi.fr OR a", "or-side", "OR")]
    [InlineData("a OR \"\"", "or-side", "OR")]
    [InlineData("\"abc", "unbalanced-quote", "\"abc")]
    [InlineData("a title:\"b c", "unbalanced-quote", "title:\"b c")]
    [InlineData("titel:台湾", "unknown-field", "titel:")]
    [InlineData("lang:klingon x", "bad-value", "lang:klingon")]
    [InlineData("date:2024-13 x", "bad-value", "date:2024-13")]
    [InlineData("after:24 x", "bad-value", "after:24")]
    [InlineData("-source:rfi.fr x", "field-alone", "source:")]
    [InlineData("a OR lang:en", "field-alone", "lang:")]
    [InlineData("lang:en lang:zh-Hans", "field-twice", "lang:zh-Hans")]
    public void Refuses_what_it_cannot_take_and_names_the_part(string q, string problem, string detail)
    {
        var parsed = SearchQuery.Parse(q);
        Assert.Equal(problem, parsed.Problem);
        Assert.Equal(detail, parsed.ProblemDetail);
    }

    [Fact]
    public void Fields_are_filters()
    {
        var q = SearchQuery.Parse("疫苗 source:rfi.fr lang:EN after:2024 before:2024-07 date:2024-06");
        Assert.Null(q.Problem);
        Assert.Equal("rfi.fr", q.FieldFilters.Source);
        Assert.Equal("en", q.FieldFilters.Language);
        Assert.Equal(new DateOnly(2024, 6, 1), q.FieldFilters.From);
        Assert.Equal(new DateOnly(2024, 7, 1), q.FieldFilters.Until);
        Assert.Single(q.Groups);
        // A filter alone is a search: every article it keeps.
        Assert.Null(SearchQuery.Parse("lang:zh-Hans").Problem);
    }

    private async Task<long> TotalAsync(string query)
    {
        var json = await app.Client.GetStringAsync("/api/search?" + query);
        return JsonDocument.Parse(json).RootElement.GetProperty("total").GetInt64();
    }

    [Theory]
    [InlineData("q=金正恩 source:rfi.fr", "q=金正恩&source=rfi.fr", 1)]
    [InlineData("q=金正恩 source:RFI.FR", "q=金正恩&source=rfi.fr", 1)]
    [InlineData("q=金正恩 source:voachinese.com", "q=金正恩&source=voachinese.com", 1)]
    [InlineData("q=金正恩 lang:zh-Hans", "q=金正恩&lang=zh-Hans", 2)]
    [InlineData("q=金正恩 lang:en", "q=金正恩&lang=en", 0)]
    [InlineData("q=金正恩 date:2024", "q=金正恩&from=2024-01-01&to=2024-12-31", 1)]
    [InlineData("q=金正恩 after:2024-06-19", "q=金正恩&from=2024-06-19", 1)]
    [InlineData("q=金正恩 before:2024", "q=金正恩&to=2023-12-31", 1)]
    [InlineData("q=金正恩 date:2023-06-12", "q=金正恩&from=2023-06-12&to=2023-06-12", 1)]
    [InlineData("q=普京 OR 签署", "q=普京", 2)]
    [InlineData("q=title:普京 title:签署", "q=普京 签署", 1)]
    [InlineData("q=title:抱团 OR title:条约", "q=金正恩", 2)]
    [InlineData("q=title:全力支持", null, 1)]
    [InlineData("q=全力支持", null, 2)]
    [InlineData("q=-title:普京 金正恩", null, 0)]
    [InlineData("q=-title:签署 金正恩", null, 1)]
    public async Task A_field_in_the_query_means_what_the_filter_means(string withField, string? withFilter, long expected)
    {
        Assert.Equal(expected, await TotalAsync(withField));
        if (withFilter is not null)
        {
            Assert.Equal(expected, await TotalAsync(withFilter));
        }
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "titel:x", "en", "There is no field" },
        { "titel:x", "zh-Hans", "没有“titel:”这个字段" },
        { "titel:x", "zh-Hant", "沒有「titel:」這個欄位" },
        { "\"abc", "en", "A quote is opened and never closed" },
        { "\"abc", "zh-Hans", "引号未闭合" },
        { "\"abc", "zh-Hant", "引號未閉合" },
        { "a OR", "en", "needs a term on each side" },
        { "a OR", "zh-Hans", "两边都需要搜索词" },
        { "a OR", "zh-Hant", "兩邊都需要搜尋詞" },
        { "x lang:xx", "en", "is not a value that field takes" },
        { "x lang:xx", "zh-Hans", "不是该字段可用的值" },
        { "x lang:xx", "zh-Hant", "不是該欄位可用的值" },
        { "-source:x y", "en", "is a filter" },
        { "-source:x y", "zh-Hans", "是筛选条件" },
        { "-source:x y", "zh-Hant", "是篩選條件" },
        { "x source:nowhere.example", "en", "No source of this archive is called “nowhere.example”" },
        { "x source:nowhere.example", "zh-Hans", "没有名为“nowhere.example”的来源" },
        { "x source:nowhere.example", "zh-Hant", "沒有名為「nowhere.example」的來源" },
        { string.Join(' ', Enumerable.Range(0, 40).Select(i => "w" + i)), "en", "too many terms" },
        { string.Join(' ', Enumerable.Range(0, 40).Select(i => "w" + i)), "zh-Hans", "搜索词过多" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_query_says_why_on_the_page_and_in_the_api(string q, string lang, string message)
    {
        var page = await app.Client.GetAsync($"/search?lang={lang}&q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains(message, html, StringComparison.Ordinal);
        var api = await app.Client.GetAsync($"/api/search?q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        var error = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("en", "How to search")]
    [InlineData("zh-Hans", "搜索帮助")]
    [InlineData("zh-Hant", "搜尋說明")]
    public async Task The_help_page_explains_the_language_with_examples_in_each_ui_language(string lang, string title)
    {
        var html = WebUtility.HtmlDecode(await app.Client.GetStringAsync($"/search/help?lang={lang}"));
        Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("特朗普 OR 川普", html, StringComparison.Ordinal);
        Assert.Contains("title:台湾", html, StringComparison.Ordinal);
        // Linked from the search box.
        var search = await app.Client.GetStringAsync($"/search?lang={lang}");
        Assert.Contains("href=\"/search/help\"", search, StringComparison.Ordinal);
    }
}
