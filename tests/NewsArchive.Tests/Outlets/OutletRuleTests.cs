using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;

namespace NewsArchive.Tests.Outlets;

/// <summary>The outlet rule (Model/OutletTable) and the registrable domain, on the shipped table.</summary>
public sealed class OutletRuleTests
{
    [Theory]
    [InlineData("cn.reuters.com", "reuters.com")]
    [InlineData("zh.bitterwinter.org", "bitterwinter.org")]
    [InlineData("www.voachinese.com", "voachinese.com")]
    [InlineData("big5.zaobao.com", "zaobao.com")]
    [InlineData("news.bbc.co.uk", "bbc.co.uk")]
    [InlineData("www.cna.com.tw", "cna.com.tw")]
    [InlineData("www.rti.org.tw", "rti.org.tw")]
    [InlineData("hk.news.example.com.hk", "example.com.hk")]
    [InlineData("news.example.org.hk", "example.org.hk")]
    [InlineData("www.abc.net.au", "abc.net.au")]
    [InlineData("www.sbs.com.au", "sbs.com.au")]
    [InlineData("www3.nhk.or.jp", "nhk.or.jp")]
    [InlineData("www.example.co.jp", "example.co.jp")]
    [InlineData("m.yna.co.kr", "yna.co.kr")]
    [InlineData("wqw2010.blogspot.com", "wqw2010.blogspot.com")]
    [InlineData("WWW.RFI.FR.", "rfi.fr")]
    [InlineData("nei.st", "nei.st")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public void Registrable_domain_of_a_host(string host, string domain) =>
        Assert.Equal(domain, RegistrableDomain.Of(host));

    [Theory]
    // A person is the byline; the outlet comes from the host.
    [InlineData("https://zh.bitterwinter.org/a/", "鄧婕", "bitterwinter", "鄧婕")]
    [InlineData("https://chinadigitaltimes.net/chinese/2021/01/x/", "最后领导人", "cdt", "最后领导人")]
    // The outlet's own name, or a placeholder, is nobody's byline.
    [InlineData("https://chinadigitaltimes.net/chinese/2021/01/x/", "中国数字时代", "cdt", null)]
    [InlineData("https://chinadigitaltimes.net/chinese/2020/12/x/", "unknown", "cdt", null)]
    // A file without an author: the reader named it after the host.
    [InlineData("https://www.dw.com/zh/x/a-54406219", "dw.com", "dw", null)]
    // An alias in the other script, on a subdomain the table does not list.
    [InlineData("https://big5.zaobao.com/news/x", "聯合早報", "zaobao", null)]
    // A host no table knows, with a known outlet's name as its author: that outlet.
    [InlineData("http://cn.govopendata.com/xinwenlianbo/20210101/", "CCTV新闻联播", "cctv", null)]
    // A web-archive capture is the captured URL's outlet.
    [InlineData("https://web.archive.org/web/2020/https://www.rfi.fr/cn/x", "web.archive.org", "rfi", null)]
    // A host no table knows: its registrable domain, never "unknown".
    [InlineData("https://news.unknown-daily.com.tw/a/1", "王小明", "unknown-daily.com.tw", "王小明")]
    [InlineData("https://news.unknown-daily.com.tw/a/2", "news.unknown-daily.com.tw", "unknown-daily.com.tw", null)]
    public void Outlet_from_the_host_then_the_author(string url, string source, string outlet, string? byline)
    {
        var (o, b) = OutletTable.Shipped.Resolve(url, source);
        Assert.Equal((outlet, byline), (o.Id, b));
    }

    [Theory]
    [InlineData("000_4a8c0d302e9363d3.txt", "rfi", "RFI", "法廣")]
    [InlineData("001_246f2ee7f0d083f4.txt", "voa", "VOA", "美國之音")]
    public void A_seed_file_without_an_author_gets_the_outlet_of_its_host(string file, string outlet, string en, string hant)
    {
        var (article, _) = ArticleReader.Read(File.ReadAllBytes(Path.Combine(TestData.Seeds, file)), file, DateTimeOffset.UtcNow);
        var (o, byline) = OutletTable.Shipped.Resolve(article!.Url, article.Source);
        Assert.Equal((outlet, en, hant, (string?)null), (o.Id, o.Name("en"), o.Name("zh-Hant"), byline));
    }

    [Fact]
    public void The_shipped_table_names_the_large_outlets_in_three_scripts()
    {
        var table = OutletTable.Shipped;
        Assert.True(table.All.Count >= 40, $"{table.All.Count} outlets");
        foreach (var id in new[]
        {
            "rfi", "voa", "bbc", "dw", "nytimes", "ft", "wsj", "reuters", "ap", "afp", "economist", "rfa", "epochtimes", "ntd", "cna", "rti",
            "zaobao", "scmp", "hk01", "standnews", "appledaily", "hkfp", "inmedia", "initium", "cdt", "bitterwinter", "solidot", "ltn", "udn",
            "chinatimes", "storm", "twreporter", "mingpao", "singtao", "rci", "abc-au", "sbs", "nhk", "yonhap", "sputnik", "rt", "cgtn",
            "xinhua", "people", "globaltimes", "cctv",
        })
        {
            var o = table.Find(id);
            Assert.True(o is { NameEn.Length: > 0, NameHans.Length: > 0, NameHant.Length: > 0, HomeHost.Length: > 0 }, id);
        }
        var dw = table.Find("dw")!;
        Assert.Equal(("DW", "德国之声", "德國之聲"), (dw.Name("en"), dw.Name("zh-Hans"), dw.Name("zh-Hant")));
        Assert.Equal("tw.appledaily.com", table.Find("appledaily-tw")!.HomeHost);
        Assert.Equal("appledaily-tw", table.Resolve("https://tw.appledaily.com/x", "").Outlet.Id);
        Assert.Equal("appledaily", table.Resolve("https://hk.appledaily.com/x", "").Outlet.Id);
    }

    [Fact]
    public void An_operator_entry_overrides_names_and_takes_hosts_and_aliases()
    {
        var table = OutletTable.Load(null,
        [
            new OutletEntry { Id = "rfi", En = "Radio France Internationale" },
            new OutletEntry { Id = "example", En = "Example Wire", ZhHans = "样例通讯", ZhHant = "樣例通訊", Hosts = ["example.com", "www.dw.com"], Aliases = ["样例社"] },
        ]);
        Assert.Equal(("Radio France Internationale", "法广"), (table.Find("rfi")!.NameEn, table.Find("rfi")!.NameHans));
        Assert.Equal("rfi", table.Resolve("https://www.rfi.fr/cn/x", "").Outlet.Id);
        Assert.Equal("example", table.Resolve("https://news.example.com/x", "").Outlet.Id);
        // A host a later entry lists is that entry's; the rest of the outlet's hosts stay its own.
        Assert.Equal("example", table.Resolve("https://www.dw.com/zh/x", "").Outlet.Id);
        Assert.Equal("dw", table.Resolve("https://dw.de/x", "").Outlet.Id);
        Assert.Equal(("example", (string?)null), (table.Resolve("https://mirror.invalid/x", "樣例社").Outlet.Id, table.Resolve("https://mirror.invalid/x", "樣例社").Byline));
        Assert.NotEqual(OutletTable.Shipped.Fingerprint, table.Fingerprint);
        Assert.Equal(OutletTable.Shipped.Fingerprint, OutletTable.Load(null, []).Fingerprint);
    }
}
