using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Api;

public sealed class ArticlesApiTests(SeedsApp app) : IClassFixture<SeedsApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Healthz_answers()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Lists_the_two_seed_articles_newest_first()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/articles?page=1&size=10");
        Assert.Equal(2, page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(10, page.GetProperty("size").GetInt32());
        var results = page.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("2024-06-19T13:59:02.000+00:00", results[0].GetProperty("published").GetString());
        Assert.Contains("voachinese.com", results[0].GetProperty("url").GetString());
        Assert.Equal("zh-Hans", results[0].GetProperty("language").GetString());
        Assert.Equal("rfi", results[1].GetProperty("source").GetString());
        Assert.Equal("RFI", results[1].GetProperty("outlet").GetProperty("names").GetProperty("en").GetString());
        var id = results[0].GetProperty("id").GetString();
        Assert.Equal($"/a/{id}", results[0].GetProperty("permalink").GetString());
    }

    [Theory]
    [InlineData("lang=en", 0)]
    [InlineData("lang=zh-Hans", 2)]
    [InlineData("source=rfi", 1)]
    [InlineData("from=2024-06-19&to=2024-06-19", 1)]
    [InlineData("from=2024-06-20", 0)]
    [InlineData("to=2023-06-12&source=rfi", 1)]
    public async Task Filters_combine(string query, int total)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/articles?" + query);
        Assert.Equal(total, page.GetProperty("total").GetInt64());
        Assert.Equal(total, page.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task One_article_has_its_text_and_html()
    {
        var list = await _client.GetFromJsonAsync<JsonElement>("/api/articles");
        var id = list.GetProperty("results")[0].GetProperty("id").GetString();
        var a = await _client.GetFromJsonAsync<JsonElement>($"/api/articles/{id}");
        Assert.Contains("普京", a.GetProperty("text").GetString());
        Assert.Contains("<p>", a.GetProperty("html").GetString());
    }

    [Theory]
    [InlineData("/api/articles/nope")]
    [InlineData("/api/articles/000000000000")]
    public async Task Unknown_id_is_a_json_404(string url)
    {
        var r = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Contains("error", await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=-1")]
    [InlineData("page=abc")]
    [InlineData("page=99999999999999999999")]
    [InlineData("size=101")]
    [InlineData("size=0")]
    [InlineData("lang=fr")]
    [InlineData("from=yesterday")]
    public async Task Bad_parameters_are_a_400_with_a_message(string query)
    {
        var r = await _client.GetAsync("/api/articles?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("error", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Page_past_the_end_is_empty_with_the_exact_total()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/articles?page=1000&size=100");
        Assert.Equal(2, page.GetProperty("total").GetInt64());
        Assert.Equal(0, page.GetProperty("results").GetArrayLength());
    }
}
