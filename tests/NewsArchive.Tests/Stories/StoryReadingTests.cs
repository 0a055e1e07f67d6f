using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewsArchive.Tests.Stories;

/// <summary>
/// The reading side of story threads (docs/stories.md, "Reading") over real HTTP: the article page's
/// box, /story/{id}, the top stories of a day, the API, in every UI language and reading script.
/// </summary>
public sealed partial class StoryReadingTests(StoryApp app) : IClassFixture<StoryApp>
{
    private static readonly string[] Uis = ["zh-Hans", "zh-Hant", "en"];

    private static readonly string[] Scripts = ["original", "hans", "hant", "hant-tw", "hant-hk"];

    /// <summary>What each summit article's title holds in a script (RFI and Zaobao wrote Simplified, CNA Traditional).</summary>
    private static string TitleIn(string url, string script)
    {
        var traditional = script.StartsWith("hant", StringComparison.Ordinal);
        return url switch
        {
            _ when url.Contains("/20250714-", StringComparison.Ordinal) => traditional ? "特朗普與普京在赫爾辛基會晤" : "特朗普与普京在赫尔辛基会晤",
            _ when url.Contains("cna.com.tw", StringComparison.Ordinal) => script == "hans" ? "川普普丁赫尔辛基峰会" : "川普普丁赫爾辛基峰會",
            // Not 峰: OpenCC's Traditional writes 峯 (Hong Kong's and the standard's form).
            _ => traditional ? "會登場 特朗普普京赫爾辛基談停火" : "美俄峰会登场",
        };
    }

    private static readonly Dictionary<string, (string Heading, string[] Outlets)> Ui = new()
    {
        ["zh-Hans"] = ("同一事件的其他报道", ["法广", "中央社", "联合早报"]),
        ["zh-Hant"] = ("同一事件的其他報導", ["法廣", "中央社", "聯合早報"]),
        ["en"] = ("The same story elsewhere", ["RFI", "Central News Agency", "Lianhe Zaobao"]),
    };

    private async Task<string> Html(string url)
    {
        using var r = await app.Client.GetAsync(url);
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {r.StatusCode}");
        return WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("""<a href="/a/([0-9a-z]{12})" lang="[^"]+">([^<]+)</a>""")]
    private static partial Regex ArticleLink();

    /// <summary>The article links of a page's section, by its class.</summary>
    private static List<(string Permalink, string Title)> Links(string html, string section)
    {
        var start = html.IndexOf($"<section class=\"{section}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {section} section");
        var body = html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
        return ArticleLink().Matches(body).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
    }

    [Fact]
    public void The_planted_summit_is_one_thread_of_three()
    {
        string[] urls = ["/20250714-", "cna.com.tw", "story20250715-0001"];
        Assert.Equal(urls.Length, app.Summit.Count);
        for (var i = 0; i < urls.Length; i++)
        {
            Assert.Contains(urls[i], app.Summit[i].Url);
        }
    }

    [Fact]
    public async Task The_box_lists_exactly_the_threads_other_articles_in_every_ui_language_and_script()
    {
        foreach (var member in app.Summit)
        {
            var others = app.Summit.Where(a => a != member).ToList();
            foreach (var ui in Uis)
            {
                foreach (var script in Scripts)
                {
                    var html = await Html($"/a/{member.Permalink}?lang={ui}&script={script}");
                    Assert.Contains($"<h2 id=\"elsewhere-heading\">{Ui[ui].Heading}</h2>", html);
                    var box = Links(html, "related elsewhere");
                    Assert.Equal(others.Select(o => o.Permalink), box.Select(b => b.Permalink));
                    for (var i = 0; i < others.Count; i++)
                    {
                        Assert.Contains(TitleIn(others[i].Url, script), box[i].Title);
                    }
                    foreach (var outlet in Ui[ui].Outlets.Where((_, i) => app.Summit[i] != member))
                    {
                        Assert.Contains($"<span class=\"outlet\">{outlet}</span>", html);
                    }
                    Assert.Contains($"href=\"/story/{app.Summit.MinBy(a => a.Id)!.Permalink}\"", html);
                    Assert.DoesNotContain("related-heading", html);
                }
            }
        }
    }

    [Fact]
    public async Task An_article_alone_shows_related_articles_and_no_box()
    {
        var html = await Html($"/a/{app.At("20260714").Permalink}?lang=en");
        Assert.DoesNotContain("elsewhere", html);
        // Its namesake a year earlier is related, though not near in time.
        Assert.Contains(app.At("/20250714-").Permalink, Links(html, "related").Select(l => l.Permalink));
    }

    [Fact]
    public async Task The_thread_page_renders_in_every_ui_language_and_script()
    {
        var id = app.Summit.MinBy(a => a.Id)!.Permalink;
        foreach (var ui in Uis)
        {
            foreach (var script in Scripts)
            {
                var html = await Html($"/story/{id}?lang={ui}&script={script}");
                Assert.Matches($"<h1 id=\"story-heading\" lang=\"[^\"]+\">{TitleIn(app.Summit[0].Url, script)}", html);
                Assert.Equal(app.Summit.Select(a => a.Permalink), Links(html, "story").Select(l => l.Permalink));
                Assert.All(Links(html, "story"), l => Assert.Contains(TitleIn(app.Summit.Single(a => a.Permalink == l.Permalink).Url, script), l.Title));
                foreach (var outlet in Ui[ui].Outlets)
                {
                    Assert.Contains(outlet, html);
                }
                // The timeline: 14 July (RFI, CNA) and 15 July (Zaobao) in Asia/Shanghai, drawn as stacked bars.
                Assert.Contains("<svg class=\"trend-chart\"", html);
                Assert.Equal(3, Regex.Count(html, "<rect class=\"s[0-9]\""));
                Assert.Equal(2, Regex.Count(html, "<rect class=\"s[0-9]\" x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"[0-9.]+\" height=\"[0-9.]+\"><title>[^<]*(14|7/14|7月14)"));
            }
        }
        Assert.Contains("<link rel=\"canonical\" href=\"http://localhost/story/" + id + "\">", await Html($"/story/{id}"));
    }

    [Fact]
    public async Task The_thread_page_and_its_json_carry_validators_and_a_conditional_get_is_304()
    {
        var id = app.Summit.MinBy(a => a.Id)!.Permalink;
        foreach (var path in new[] { $"/story/{id}", $"/api/stories/{id}" })
        {
            // The archive's state, which the validator names, can move once after the start-up ingest: the pair is asked again then.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            HttpStatusCode answer;
            do
            {
                using var first = await app.Client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
                using var again = new HttpRequestMessage(HttpMethod.Get, path);
                again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
                using var second = await app.Client.SendAsync(again);
                answer = second.StatusCode;
            }
            while (answer != HttpStatusCode.NotModified && DateTime.UtcNow < deadline);
            Assert.Equal(HttpStatusCode.NotModified, answer);
        }
    }

    [Fact]
    public async Task A_members_id_is_sent_to_its_thread_and_anything_else_is_404()
    {
        var id = app.Summit.MinBy(a => a.Id)!.Permalink;
        foreach (var member in app.Summit.Where(a => a.Permalink != id))
        {
            using var page = await app.Client.GetAsync($"/story/{member.Permalink}?lang=en");
            Assert.Equal(HttpStatusCode.Found, page.StatusCode);
            Assert.Equal($"/story/{id}?lang=en", page.Headers.Location!.OriginalString);
            using var api = await app.Client.GetAsync($"/api/stories/{member.Permalink}");
            Assert.Equal(HttpStatusCode.Found, api.StatusCode);
            Assert.Equal($"/api/stories/{id}", api.Headers.Location!.OriginalString);
        }
        // The namesake a year later and the other news of those days are alone; then ids of nothing.
        var alone = app.Articles.Where(a => app.Summit.All(s => s.Id != a.Id)).Select(a => a.Permalink).ToList();
        Assert.Equal(6, alone.Count);
        foreach (var path in alone.Concat(["zzzzzzzzzzzz", "nope", "ZZZZZZZZZZZZ"]))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/story/{path}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/api/stories/{path}")).StatusCode);
        }
    }

    [Fact]
    public async Task The_api_carries_the_thread_with_each_member_and_lists_it()
    {
        var id = app.Summit.MinBy(a => a.Id)!.Permalink;
        foreach (var member in app.Summit)
        {
            var a = await app.Client.GetFromJsonAsync<JsonElement>($"/api/articles/{member.Permalink}");
            var story = a.GetProperty("story");
            Assert.Equal(id, story.GetProperty("id").GetString());
            Assert.Equal(app.Summit.Select(s => s.Permalink), story.GetProperty("articles").EnumerateArray().Select(x => x.GetProperty("id").GetString()));
            Assert.Equal(["rfi", "cna", "zaobao"], story.GetProperty("outlets").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        }
        var lone = await app.Client.GetFromJsonAsync<JsonElement>($"/api/articles/{app.At("20260714").Permalink}");
        Assert.Equal(JsonValueKind.Null, lone.GetProperty("story").ValueKind);

        var list = await app.Client.GetFromJsonAsync<JsonElement>($"/api/stories/{id}");
        Assert.Equal(3, list.GetProperty("total").GetInt32());
        Assert.Equal($"/story/{id}", list.GetProperty("page").GetString());
        Assert.StartsWith("特朗普与普京在赫尔辛基会晤", list.GetProperty("headline").GetString());
        Assert.Equal(app.Summit.Select(s => s.Permalink), list.GetProperty("articles").EnumerateArray().Select(x => x.GetProperty("id").GetString()));
        Assert.Equal("Central News Agency", list.GetProperty("outlets")[1].GetProperty("names").GetProperty("en").GetString());
    }

    [Fact]
    public async Task The_sitemap_lists_the_thread_dated_by_its_last_article()
    {
        var id = app.Summit.MinBy(a => a.Id)!.Permalink;
        Assert.Contains("<loc>http://localhost/sitemap-stories-1.xml</loc>", await Html("/sitemap.xml"));
        var part = System.Xml.Linq.XDocument.Parse(await Html("/sitemap-stories-1.xml"));
        var url = Assert.Single(part.Root!.Elements());
        // Only the summit is a thread of two or more; Zaobao's report of the 15th (UTC) is its last.
        Assert.Equal($"http://localhost/story/{id}", url.Elements().First(e => e.Name.LocalName == "loc").Value);
        Assert.Equal("2025-07-15", url.Elements().First(e => e.Name.LocalName == "lastmod").Value);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/sitemap-stories-2.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/sitemap-stories-0.xml")).StatusCode);
    }

    [Fact]
    public async Task A_day_page_leads_with_its_threads_and_the_home_page_with_the_latest_weeks()
    {
        var id = app.Summit.MinBy(a => a.Id)!.Permalink;
        foreach (var (ui, heading) in new[] { ("zh-Hans", "当日要闻"), ("zh-Hant", "當日要聞"), ("en", "Top stories of the day") })
        {
            // The summit's days in Asia/Shanghai: RFI and CNA on the 14th, Zaobao on the 15th.
            foreach (var day in new[] { "2025/07/14", "2025/07/15" })
            {
                var html = await Html($"/archive/{day}?lang={ui}&script=hant");
                Assert.Contains($"<h2 id=\"top-stories-heading\">{heading}</h2>", html);
                Assert.Contains($"<a href=\"/story/{id}\" lang=\"zh-Hant\">特朗普與普京在赫爾辛基會晤", html);
                Assert.True(html.IndexOf("top-stories", StringComparison.Ordinal) < html.IndexOf("article-list", StringComparison.Ordinal));
            }
            Assert.DoesNotContain("top-stories", await Html($"/archive/2025/07/13?lang={ui}"));
            // The newest article's week holds only the namesake, alone; filtered and later pages have none.
            Assert.DoesNotContain("top-stories", await Html($"/?lang={ui}"));
            Assert.DoesNotContain("top-stories", await Html($"/archive/2025/07/14?lang={ui}&source=rfi"));
        }
    }
}
