using System.Text;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;

namespace NewsArchive.Tests.Reader;

public sealed class SeedParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ParseOutcome Parse(string s, string name = "x.md") => SeedParser.Parse(Encoding.UTF8.GetBytes(s), name, Now);

    [Theory]
    [InlineData("")]
    [InlineData("\0\u0001binary")]
    public void Empty_and_binary_files_are_rejected(string content)
    {
        Assert.NotNull(Parse(content).RejectReason);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("")]
    [InlineData("99999999999999")]
    [InlineData("1651820889")]
    [InlineData("-5")]
    public void Junk_timestamps_without_fallback_are_unknown_never_1970(string ts)
    {
        var h = Parse($"<!--{ts}-->\n[T](https://e.com/a)\n------\n<p>x</p>").Header!;
        Assert.Null(h.Published);
    }

    [Fact]
    public void Timestamp_is_epoch_milliseconds()
    {
        var h = Parse("<!--1718805542000-->\n[T](https://e.com/a)\n------\n").Header!;
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1718805542000), h.Published);
    }

    [Fact]
    public void Invalid_utf8_is_replaced_not_fatal()
    {
        var bytes = Encoding.UTF8.GetBytes("<!--1718805542000-->\n[T](https://e.com/a)\n------\n<p>a")
            .Concat(new byte[] { 0xff, 0xfe, 0xc3 }).Concat(Encoding.UTF8.GetBytes("b</p>")).ToArray();
        var (article, _) = ArticleReader.Read(bytes, "x.md", Now);
        Assert.Contains('\uFFFD', article!.Text);
    }

    [Fact]
    public void Url_that_is_not_a_url_is_rejected()
    {
        Assert.Contains("URL", Parse("<!--1718805542000-->\n[T](not-a-url)\n------\n").RejectReason);
    }

    [Fact]
    public void Truncated_header_is_rejected()
    {
        Assert.NotNull(Parse("<!--1718805542000-->\n[T](https://e.com/a)").RejectReason);
        Assert.NotNull(Parse("---\ntitle: x\n").RejectReason);
    }

    [Fact]
    public void Deeply_nested_html_is_read_without_overflowing_the_stack()
    {
        var body = string.Concat(Enumerable.Repeat("<div>", 100_000)) + "深处" + string.Concat(Enumerable.Repeat("</div>", 100_000));
        var done = new ManualResetEventSlim();
        Article? article = null;
        // The ingest parses on threads with large stacks; so does this test.
        var t = new Thread(() =>
        {
            (article, _) = ArticleReader.Read(Encoding.UTF8.GetBytes($"<!--1718805542000-->\n[T](https://e.com/a)\n------\n{body}"), "x.md", Now);
            done.Set();
        }, 256 << 20);
        t.Start();
        Assert.True(done.Wait(TimeSpan.FromMinutes(2)));
        Assert.Equal("深处", article!.Text);
    }

    [Theory]
    [InlineData("<p>a<br>b<img src=x><hr/></p>", 3)]
    [InlineData("<div><div><span>x</span></div></div>", 5)]
    [InlineData("a < b and <<<< no tags", 2)]
    public void Nesting_depth_is_estimated_in_one_pass(string html, int depth)
    {
        Assert.Equal(depth, ArticleHtml.NestingDepth(html));
    }

    [Fact]
    public void Pathological_markup_is_read_fast()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        ArticleHtml.Process(string.Concat(Enumerable.Repeat("<a", 300_000)), "https://e.com/");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), sw.Elapsed.ToString());
    }

    [Fact]
    public void Permalink_is_stable_and_url_safe()
    {
        var id = Permalink.For("https://www.voachinese.com/a/7661786.html");
        Assert.Equal(id, Permalink.For("https://www.voachinese.com/a/7661786.html"));
        Assert.True(Permalink.IsWellFormed(id));
        Assert.NotEqual(id, Permalink.For("https://www.voachinese.com/a/7661787.html"));
    }

    [Theory]
    [InlineData("美国总统拜登周三表示，将继续支持乌克兰。", "zh-Hans")]
    [InlineData("美國總統拜登週三表示，將繼續支持烏克蘭。", "zh-Hant")]
    [InlineData("President Biden said on Wednesday he would keep supporting Ukraine.", "en")]
    public void Detects_language(string text, string expected)
    {
        Assert.Equal(expected, Languages.Detect(text));
    }
}
