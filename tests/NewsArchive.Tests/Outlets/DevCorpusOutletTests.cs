using System.Net;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Outlets;

/// <summary>Outlets and bylines of the dev corpus, and the pages that show them, on the shipped table.</summary>
[Collection(DevCorpusCollection.Name)]
public sealed class DevCorpusOutletTests(DevCorpusDb dev)
{
    // The dev corpus's hosts and authors, listed from its files (docs/outlets.md): one outlet each.
    private static readonly string[] DevOutlets =
    [
        "bbc", "cctv", "cdt", "bitterwinter", "cna", "dw", "economist", "epochtimes", "ft", "neist", "nytimes", "reuters", "rfa", "rfi",
        "rti", "solidot", "voa", "weiquanwang", "zaobao",
    ];

    [CorpusFact]
    public void Every_article_has_one_of_the_outlets_the_table_names()
    {
        using var c = dev.Db.Open();
        var counts = OutletStore.Counts(c);
        Assert.Equal(DevOutlets.Order(), counts.Select(o => o.Outlet).Order());
        Assert.Equal(ArticleStore.Count(c, new ArticleFilter()), counts.Sum(o => o.Count));
        Assert.All(counts, o => Assert.NotNull(OutletTable.Shipped.Find(o.Outlet)));
        // 242 and 30 files in the corpus, under 8 and 9 author names.
        Assert.Equal(242, counts.Single(o => o.Outlet == "cdt").Count);
        Assert.Equal(30, counts.Single(o => o.Outlet == "bitterwinter").Count);
    }

    [CorpusFact]
    public void People_are_bylines_of_their_outlet()
    {
        using var c = dev.Db.Open();
        HashSet<string?> Bylines(string outlet) => [.. ArticleStore.Page(c, new ArticleFilter(Outlet: outlet), 0, 1000).Select(r => r.Byline)];
        Assert.Equal(new HashSet<string?> { null, "最后领导人", "一朵后浪", "大号冲塔", "不忘初心", "Samuel Wade", "老子到处说" }, Bylines("cdt"));
        Assert.Equal(new HashSet<string?> { null, "馬西莫·英特羅維吉 （Massimo Introvigne）", "鄧婕", "唐哲", "陸小靜", "楊廣安", "王一馳", "韓生", "李笑" },
            Bylines("bitterwinter"));
        Assert.Equal(new HashSet<string?> { null }, Bylines("dw"));
    }

    [CorpusFact]
    public async Task Pages_name_outlets_in_the_reader_s_language_and_old_source_links_answer_301()
    {
        using var app = new AppFactory(seeds: null, dev.Db.Path);
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        async Task<string> Html(string url)
        {
            using var r = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        }

        var en = await Html("/sources?lang=en");
        Assert.Equal(DevOutlets.Length, en.Split("/feed.atom?source=").Length - 1);
        Assert.Contains(">RFI</a>", en);
        Assert.Contains(">China Digital Times</a>", en);
        Assert.Contains(">Bitter Winter</a>", en);
        Assert.DoesNotContain("法广", en);
        Assert.DoesNotContain("最后领导人", en);
        var hant = await Html("/sources?lang=zh-Hant");
        Assert.Contains(">德國之聲</a>", hant);
        Assert.Contains(">紐約時報</a>", hant);
        Assert.DoesNotContain("德国之声", hant);
        Assert.Contains(">德国之声</a>", await Html("/sources?lang=zh-Hans"));
        Assert.Contains("China Digital Times", await Html("/search?q=%E4%B8%AD%E5%9B%BD&lang=en"));

        foreach (var (old, now) in new[]
        {
            ("/?source=%E6%B3%95%E5%B9%BF", "/?source=rfi"),                                        // 法广
            ("/?source=%E6%9C%80%E5%90%8E%E9%A2%86%E5%AF%BC%E4%BA%BA&language=zh-Hans", "/?language=zh-Hans&source=cdt"), // 最后领导人
            ("/feed.atom?source=%E5%AF%92%E5%86%AC", "/feed.atom?source=bitterwinter"),           // 寒冬
            ("/search?q=x&source=dw.com", "/search?q=x&source=dw"),
            ("/api/articles?source=unknown", "/api/articles?source=cdt"),
        })
        {
            using var r = await client.GetAsync(old);
            Assert.Equal((HttpStatusCode.MovedPermanently, now), (r.StatusCode, r.Headers.Location?.OriginalString));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/?source=nobody-at-all")).StatusCode);

        using var c = dev.Db.Open();
        var wade = ArticleStore.Page(c, new ArticleFilter(Outlet: "cdt"), 0, 1000).First(r => r.Byline == "Samuel Wade");
        var page = await Html($"/a/{wade.Permalink}?lang=en");
        Assert.Contains("By Samuel Wade", page);
        Assert.Contains("\"author\":{\"@type\":\"Person\",\"name\":\"Samuel Wade\"}", page);
        Assert.Contains("\"publisher\":{\"@type\":\"Organization\",\"name\":\"China Digital Times\"}", page);
    }
}
