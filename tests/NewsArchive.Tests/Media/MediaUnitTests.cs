using System.Net;
using NewsArchive.Web.Media;

namespace NewsArchive.Tests.Media;

/// <summary>The address filter, the type sniffer, the HTML rewrite and /media/load's client key, on values written out by hand.</summary>
public sealed class MediaUnitTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "shared (carrier NAT)")]
    [InlineData("0.0.0.0", "reserved")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("198.18.0.1", "reserved (benchmarking)")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "reserved")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("2001:db8::1", "reserved (documentation)")]
    [InlineData("2002:7f00:1::1", "reserved (6to4)")]
    [InlineData("93.184.216.34", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("::ffff:93.184.216.34", null)]
    [InlineData("2606:4700:4700::1111", null)]
    public void Addresses_are_refused_by_kind(string address, string? refusal) =>
        Assert.Equal(refusal, AddressFilter.Refusal(IPAddress.Parse(address)));

    [Fact]
    public void Types_come_from_the_bytes()
    {
        Assert.Equal("image/jpeg", ImageType.Sniff(Images.Jpeg));
        Assert.Equal("image/png", ImageType.Sniff(Images.Png));
        Assert.Equal("image/gif", ImageType.Sniff(Images.Gif));
        Assert.Equal("image/webp", ImageType.Sniff(Images.WebP));
        Assert.Equal("image/avif", ImageType.Sniff(Images.Avif));
        Assert.Null(ImageType.Sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8));
        Assert.Null(ImageType.Sniff("<html>"u8));
        Assert.Null(ImageType.Sniff("RIFF\0\0\0\0WAVEfmt "u8));
        Assert.Null(ImageType.Sniff([]));
        Assert.StartsWith("SVG", ImageType.Describe("\n <?xml version=\"1.0\"?><svg>"u8));
    }

    [Fact]
    public void Image_urls_of_a_body_are_absolute_http_each_once_with_entities_decoded()
    {
        const string html = "<p><img src=\"https://a.example/x.jpg?w=1&amp;h=2\" alt=\"\"></p><img alt=\"b\" src=\"http://b.example/y.png\">" +
            "<img src=\"https://a.example/x.jpg?w=1&amp;h=2\"><img src=\"/relative.png\"><img src=\"data:image/png;base64,AAAA\">";
        Assert.Equal(new[] { "https://a.example/x.jpg?w=1&h=2", "http://b.example/y.png", "https://c.example/lead.webp" },
            MediaHtml.ImageUrls(html, "https://c.example/lead.webp"));
    }

    [Fact]
    public void Two_spellings_of_one_image_are_one_queue_key_and_the_page_finds_it_by_either()
    {
        const string html = "<img src=\"https://A.example:443/%e5%9b%be.jpg#top\"><img src=\"https://a.example/图.jpg\">";
        Assert.Equal(new[] { "https://a.example/%E5%9B%BE.jpg" }, MediaHtml.ImageUrls(html, null));
        var stored = new Dictionary<string, string> { ["https://a.example/%E5%9B%BE.jpg"] = "ab12" };
        Assert.Equal("<img src=\"/media/ab12\"><img src=\"/media/ab12\">", MediaHtml.RewriteImages(html, stored, click: false, Labels, ""));
        Assert.Equal("<img src=\"/archive/media/ab12\"><img src=\"/archive/media/ab12\">", MediaHtml.RewriteImages(html, stored, click: false, Labels, "/archive"));
    }

    private static readonly MediaLabels Labels = new("Load image", "Picture not in the archive", "Original picture");

    [Fact]
    public void Rewrite_points_stored_images_home_and_makes_the_others_placeholders()
    {
        const string html = "<p><img src=\"https://a.example/x.jpg?w=1&amp;h=2\" alt=\"first\"></p><img src=\"https://b.example/y.png\" alt=\"\">"
            + "<a href=\"https://c.example/\"><img src=\"https://c.example/z.png\" alt=\"linked\"></a><img src=\"/relative.png\" alt=\"relative\">";
        var stored = new Dictionary<string, string> { ["https://a.example/x.jpg?w=1&h=2"] = "ab12" };
        // Under load: the origin's address for media.js to try, a link to it (not inside another link), the alt text or a label.
        Assert.Equal(
            "<p><img src=\"/media/ab12\" alt=\"first\"></p>"
            + "<span class=\"media-placeholder\" data-alt=\"\" data-remote=\"https://b.example/y.png\"><span class=\"media-alt\">Picture not in the archive</span>"
            + "<a class=\"media-original\" href=\"https://b.example/y.png\" rel=\"noopener noreferrer\">Original picture</a></span>"
            + "<a href=\"https://c.example/\"><span class=\"media-placeholder\" data-alt=\"linked\" data-remote=\"https://c.example/z.png\"><span class=\"media-alt\">linked</span></span></a>"
            + "<span class=\"media-placeholder\" data-alt=\"relative\"><span class=\"media-alt\">relative</span></span>",
            MediaHtml.RewriteImages(html, stored, click: false, Labels, ""));
        // Under click: a button that loads it through the archive, and no address for the browser to try.
        Assert.Equal(
            "<p><img src=\"/media/ab12\" alt=\"first\"></p>"
            + "<span class=\"media-placeholder\" data-alt=\"\"><span class=\"media-alt\">Picture not in the archive</span>"
            + "<button type=\"button\" class=\"media-load\" data-src=\"/media/load?url=https%3A%2F%2Fb.example%2Fy.png\">Load image</button>"
            + "<a class=\"media-original\" href=\"https://b.example/y.png\" rel=\"noopener noreferrer\">Original picture</a></span>",
            MediaHtml.RewriteImages(html[..html.IndexOf("<a ", StringComparison.Ordinal)], stored, click: true, Labels, ""));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("::1", "::/64")]
    public void A_load_client_is_its_ipv4_address_or_its_ipv6_64(string address, string key) =>
        Assert.Equal(key, MediaLoadLimiter.ClientKey(IPAddress.Parse(address)));
}
