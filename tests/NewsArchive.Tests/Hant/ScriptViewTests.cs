using System.Text.RegularExpressions;

namespace NewsArchive.Tests.Hant;

/// <summary>A Simplified article read in Taiwan or Hong Kong Traditional, with regional vocabulary, and marks on the converted text.</summary>
public sealed class ScriptViewTests(HantApp app) : IClassFixture<HantApp>
{
    private async Task<string> SoftwareId()
    {
        var html = await app.Html("/search?q=" + Uri.EscapeDataString("软件产业"));
        return Regex.Match(html, "href=\"/a/([0-9a-z]{12})\\?q=").Groups[1].Value;
    }

    [Theory]
    [InlineData("hant-tw", "zh-Hant-TW", "軟體產業", "軟體開發人員增加。")]
    [InlineData("hant-hk", "zh-Hant-HK", "軟件產業", "軟件開發人員增加。")]
    [InlineData("hant", "zh-Hant", "軟件產業", "軟件開發人員增加。")]
    public async Task Regional_views_use_their_vocabulary(string script, string lang, string title, string body)
    {
        var html = await app.Html($"/a/{await SoftwareId()}?script={script}");
        Assert.Contains($"<article class=\"article\" lang=\"{lang}\">", html);
        Assert.Contains($"<h1>{title}</h1>", html);
        Assert.Contains($"<p>{body}</p>", html);
    }

    [Fact]
    public async Task Marks_land_on_the_converted_text()
    {
        var html = await app.Html($"/a/{await SoftwareId()}?script=hant-tw&q=" + Uri.EscapeDataString("软件"));
        Assert.Contains("<h1><mark id=\"hit-1\" class=\"hit\">軟體</mark>", html);
        Assert.Contains("<mark id=\"hit-2\" class=\"hit\">軟體</mark>", html);
    }
}
