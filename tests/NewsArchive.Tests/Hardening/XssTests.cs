using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Playwright;
using NewsArchive.Tests.Browser;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Hardening;

/// <summary>The app over the hostile corpus (written at start-up into a temporary seeds folder).</summary>
public sealed class HostileApp : BrowserApp
{
    public static readonly string Dir = TestData.TempDir("hostile");

    public static readonly int Files = HostileCorpus.Write(Dir);

    public HostileApp()
        : base(Dir)
    {
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        TestData.TryDelete(Dir);
    }
}

/// <summary>
/// Every page where hostile content appears, opened in real Chromium: no payload may run. A payload
/// that ran would open an alert or request /canary; both are counted.
/// </summary>
public sealed class XssTests(HostileApp app, ITestOutputHelper output) : IClassFixture<HostileApp>
{
    private static readonly HashSet<string> Forbidden = ["script", "iframe", "object", "embed", "form", "base", "meta", "link", "style", "svg", "math", "template", "input", "button"];

    [BrowserFact]
    public async Task No_hostile_payload_runs_on_any_page()
    {
        var context = await app.Browser.NewContextAsync(new() { Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        var executed = new List<string>();
        page.Dialog += async (_, d) =>
        {
            lock (executed)
            {
                executed.Add($"dialog '{d.Message}' on {page.Url}");
            }
            await d.DismissAsync();
        };
        page.Request += (_, r) =>
        {
            if (r.Url.StartsWith(app.BaseUrl + "/canary", StringComparison.Ordinal))
            {
                lock (executed)
                {
                    executed.Add($"request {r.Url} from {page.Url}");
                }
            }
        };

        var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var ids = new List<string>();
        for (var p = 1; ; p++)
        {
            var list = JsonDocument.Parse(await api.GetStringAsync($"/api/articles?size=100&page={p}")).RootElement;
            var results = list.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
            ids.AddRange(results);
            if (results.Count < 100)
            {
                break;
            }
        }
        Assert.True(ids.Count >= HostileCorpus.Vectors.Length * 2, $"only {ids.Count} hostile articles were stored");

        var urls = new List<string> { "/", "/sources", "/feed.atom", "/sitemap.xml", "/search?q=canary", "/search?q=script", "/search?q=alert&sort=newest" };
        urls.AddRange(Enumerable.Range(2, 7).Select(p => $"/?page={p}"));
        urls.AddRange(Enumerable.Range(2, 7).Select(p => $"/search?q=canary&page={p}"));
        urls.AddRange(ids.Select(id => $"/a/{id}"));
        urls.AddRange(ids.Take(20).Select(id => $"/a/{id}?script=hant"));
        foreach (var url in urls)
        {
            await page.GotoAsync(app.BaseUrl + url);
            // Hover and click what a reader might: links inside article bodies.
            foreach (var link in (await page.QuerySelectorAllAsync(".body a")).Take(5))
            {
                await link.HoverAsync(new() { Force = true, Timeout = 2000 });
            }
        }

        // The stored HTML itself holds nothing executable (the CSP is the second line, not the first).
        var parser = new HtmlParser();
        foreach (var id in ids)
        {
            var a = JsonDocument.Parse(await api.GetStringAsync($"/api/articles/{id}")).RootElement;
            var doc = parser.ParseDocument("<body>" + a.GetProperty("html").GetString());
            foreach (var el in doc.Body!.QuerySelectorAll("*"))
            {
                Assert.DoesNotContain(el.LocalName, Forbidden);
                foreach (var attr in el.Attributes)
                {
                    Assert.False(attr.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{id}: {el.OuterHtml}");
                    Assert.DoesNotContain("javascript:", attr.Value, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("vbscript:", attr.Value, StringComparison.OrdinalIgnoreCase);
                    Assert.False(attr.Value.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase), $"{id}: {el.OuterHtml}");
                }
            }
        }

        output.WriteLine($"hostile files {HostileApp.Files}, vectors {HostileCorpus.Vectors.Length}, articles {ids.Count}, pages opened {urls.Count}, payloads executed {executed.Count}");
        Assert.Empty(executed);
        await context.CloseAsync();
    }
}
