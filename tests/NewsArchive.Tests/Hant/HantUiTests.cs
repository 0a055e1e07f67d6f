using System.Net;
using System.Xml.Linq;

namespace NewsArchive.Tests.Hant;

/// <summary>The Traditional Chinese UI: chosen by Accept-Language, the switch and its cookie; alternates on every page.</summary>
public sealed class HantUiTests(HantApp app) : IClassFixture<HantApp>
{
    [Theory]
    [InlineData("zh-TW,zh;q=0.9", "zh-Hant")]
    [InlineData("zh-HK", "zh-Hant")]
    [InlineData("zh-MO", "zh-Hant")]
    [InlineData("zh-Hant", "zh-Hant")]
    [InlineData("zh-CN,zh;q=0.9", "zh-Hans")]
    [InlineData("en-US", "en")]
    public async Task Accept_language_picks_the_ui(string acceptLanguage, string ui)
    {
        var html = await app.Html("/search", acceptLanguage);
        Assert.Contains($"<html lang=\"{ui}\">", html);
        Assert.Contains(ui switch { "zh-Hant" => "搜尋存檔", "zh-Hans" => "搜索存档", _ => "Search the archive" }, html);
    }

    [Fact]
    public async Task Switch_sets_a_cookie_that_keeps_zh_hant()
    {
        using var noRedirect = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var switched = await noRedirect.GetAsync("/culture?c=zh-Hant&r=/sources");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var cookie = switched.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var req = new HttpRequestMessage(HttpMethod.Get, "/sources");
        req.Headers.Add("Cookie", cookie);
        req.Headers.AcceptLanguage.ParseAdd("en-US");
        var html = await (await app.Client.SendAsync(req)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"zh-Hant\">", html);
        Assert.Contains("<a href=\"/\">首頁</a>", html);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/search?q=%E5%8F%B0%E6%B9%BE")]
    [InlineData("/sources")]
    public async Task Every_page_has_hreflang_alternates_for_the_three_languages(string url)
    {
        var html = await app.Html(url);
        foreach (var lang in new[] { "zh-Hans", "zh-Hant", "en" })
        {
            Assert.Matches($"<link rel=\"alternate\" hreflang=\"{lang}\" href=\"http://localhost/[^\"]*lang={lang}\">", html);
        }
        Assert.Contains("<link rel=\"alternate\" hreflang=\"x-default\"", html);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(html, "<li><a href=\"/culture\\?c="));
    }

    [Fact]
    public void Every_string_has_a_zh_hant_translation_in_traditional_script()
    {
        var dir = Path.Combine(TestData.RepoRoot, "src", "NewsArchive.Web", "Resources");
        Dictionary<string, string> Read(string f) => XDocument.Load(Path.Combine(dir, f)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
        var en = Read("SharedResource.resx");
        var hans = Read("SharedResource.zh-Hans.resx");
        var hant = Read("SharedResource.zh-Hant.resx");
        Assert.Equal(en.Keys.Order(), hant.Keys.Order());
        Assert.Equal(en.Keys.Order(), hans.Keys.Order());
        // Only the switch's own label for Simplified, and the example of what search folds, stay Simplified.
        var simplified = hant.Where(kv => kv.Key is not "UiLang.zh-Hans" and not "Search.Tip.Scripts"
            && kv.Value.EnumerateRunes().Any(r => NewsArchive.Web.Text.ChineseScript.Instance.IsSimplifiedOnly(r.Value))).ToList();
        Assert.Empty(simplified);
        Assert.Equal("搜尋", hant["Search.Button"]);
        Assert.Equal("載入圖片", hant["Media.Load"]);
    }
}
