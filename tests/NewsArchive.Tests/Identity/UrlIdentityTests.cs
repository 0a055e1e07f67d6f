using NewsArchive.Web.Model;

namespace NewsArchive.Tests.Identity;

public sealed class UrlIdentityTests
{
    private const string Key = "example.com/news/2020/a%E4%B8%AD-b";

    /// <summary>Every variant of one address, written out by hand, has the same key.</summary>
    [Theory]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b")]
    [InlineData("http://example.com/news/2020/a%E4%B8%AD-b")]
    [InlineData("HTTPS://EXAMPLE.COM/news/2020/a%E4%B8%AD-b")]
    [InlineData("https://www.example.com/news/2020/a%E4%B8%AD-b")]
    [InlineData("https://Www.Example.Com/news/2020/a%E4%B8%AD-b")]
    [InlineData("https://example.com:443/news/2020/a%E4%B8%AD-b")]
    [InlineData("http://example.com:80/news/2020/a%E4%B8%AD-b")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b/")]
    [InlineData("https://example.com/news/2020/a%e4%b8%ad-b")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD%2Db")]
    [InlineData("https://example.com/news/2020/%61%E4%B8%AD-b")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b#comments")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b?utm_source=x&utm_medium=y")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b?fbclid=IwAR0abc")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b?gclid=1&mc_cid=2&mc_eid=3")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b?igshid=4&spm=a2c.1")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b?UTM_Campaign=z#top")]
    [InlineData("https://example.com/news/2020/a%E4%B8%AD-b?")]
    [InlineData("  https://example.com/news/2020/a%E4%B8%AD-b  ")]
    [InlineData("https://web.archive.org/web/20200101000000/https://example.com/news/2020/a%E4%B8%AD-b")]
    [InlineData("http://web.archive.org/web/20200101000000id_/http://www.example.com/news/2020/a%E4%B8%AD-b")]
    [InlineData("https://web.archive.org/web/2020im_/example.com/news/2020/a%E4%B8%AD-b")]
    [InlineData("https://web.archive.org/web/20200101000000/http:/example.com/news/2020/a%E4%B8%AD-b")]
    [InlineData("https://web.archive.org/web/1/https://web.archive.org/web/2/https://example.com/news/2020/a%E4%B8%AD-b/?utm_source=t")]
    public void Variants_of_one_address_have_one_key(string url) => Assert.Equal(Key, UrlIdentity.Key(url));

    [Theory]
    [InlineData("https://example.com/a?id=1&page=2", "https://example.com/a?page=2&id=1&utm_source=x")]
    [InlineData("https://example.com/", "http://www.example.com")]
    [InlineData("https://example.com:8080/a", "http://example.com:8080/a/")]
    public void Equal_pairs(string a, string b) => Assert.Equal(UrlIdentity.Key(a), UrlIdentity.Key(b));

    /// <summary>What names another page keeps its own key.</summary>
    [Theory]
    [InlineData("https://example.com/a?id=1", "https://example.com/a?id=2")]
    [InlineData("https://example.com/a", "https://example.com/b")]
    [InlineData("https://example.com/A", "https://example.com/a")]
    [InlineData("https://example.com:8080/a", "https://example.com/a")]
    [InlineData("https://news.example.com/a", "https://example.com/a")]
    [InlineData("https://example.com/a%2Fb", "https://example.com/a/b")]
    [InlineData("https://example.com/a?ref=1", "https://example.com/a")]
    public void Different_pairs(string a, string b) => Assert.NotEqual(UrlIdentity.Key(a), UrlIdentity.Key(b));

    [Fact]
    public void The_canonical_url_does_not_depend_on_order()
    {
        string[] urls =
        [
            "http://www.example.com/a",
            "https://web.archive.org/web/2020/https://example.com/a",
            "https://example.com/a?utm_source=x",
            "https://example.com/a",
            "https://www.example.com/a",
        ];
        foreach (var order in new[] { urls, urls.Reverse().ToArray(), urls.Order().ToArray() })
        {
            var best = order.Aggregate((x, y) => UrlIdentity.Compare(x, "p", y, "p") <= 0 ? x : y);
            Assert.Equal("https://example.com/a", best);
        }
    }

    [Fact]
    public void Content_hash_is_blind_to_case_width_and_script() =>
        Assert.Equal(UrlIdentity.ContentHash("Hello 漢語", "ＡＢＣ text"), UrlIdentity.ContentHash("hello 汉语", "abc TEXT"));
}
