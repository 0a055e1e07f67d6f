using System.Text;
using System.Xml;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>/feed.atom (latest 50, optionally one source) and /sitemap.xml.</summary>
public static class Feeds
{
    public const int FeedSize = 50;
    public const int SitemapSize = 50_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/feed.atom", (HttpContext ctx, Database db, string? source) =>
        {
            using var c = db.Open();
            var rows = ArticleStore.Page(c, new ArticleFilter(Source: source), 0, FeedSize);
            var site = SiteUrl(ctx.Request);
            var self = site + "/feed.atom" + (source is null ? "" : "?source=" + Uri.EscapeDataString(source));
            return Results.Text(Write(w =>
            {
                w.WriteStartElement("feed", "http://www.w3.org/2005/Atom");
                w.WriteElementString("title", source is null ? "NewsArchive" : "NewsArchive: " + source);
                w.WriteElementString("id", self);
                w.WriteStartElement("link");
                w.WriteAttributeString("rel", "self");
                w.WriteAttributeString("href", self);
                w.WriteEndElement();
                w.WriteElementString("updated", Display.Iso(rows.FirstOrDefault()?.PublishedAt ?? DateTimeOffset.UnixEpoch));
                foreach (var r in rows)
                {
                    w.WriteStartElement("entry");
                    w.WriteElementString("title", r.Title);
                    w.WriteElementString("id", site + "/a/" + r.Permalink);
                    w.WriteStartElement("link");
                    w.WriteAttributeString("href", site + "/a/" + r.Permalink);
                    w.WriteEndElement();
                    w.WriteStartElement("link");
                    w.WriteAttributeString("rel", "via");
                    w.WriteAttributeString("href", r.Url);
                    w.WriteEndElement();
                    w.WriteElementString("updated", Display.Iso(r.PublishedAt ?? DateTimeOffset.UnixEpoch));
                    w.WriteStartElement("author");
                    w.WriteElementString("name", r.Source);
                    w.WriteEndElement();
                    w.WriteStartElement("summary");
                    w.WriteAttributeString("xml", "lang", null, r.Language);
                    w.WriteString(r.Excerpt);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }), "application/atom+xml; charset=utf-8");
        });

        app.MapGet("/sitemap.xml", (HttpContext ctx, Database db) =>
        {
            using var c = db.Open();
            var site = SiteUrl(ctx.Request);
            var rows = ArticleStore.Page(c, new ArticleFilter(), 0, SitemapSize);
            return Results.Text(Write(w =>
            {
                w.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
                foreach (var r in rows)
                {
                    w.WriteStartElement("url");
                    w.WriteElementString("loc", site + "/a/" + r.Permalink);
                    if (r.PublishedAt is { } t)
                    {
                        w.WriteElementString("lastmod", t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }), "application/xml; charset=utf-8");
        });
    }

    public static string SiteUrl(HttpRequest r) => $"{r.Scheme}://{r.Host}{r.PathBase}";

    private static string Write(Action<XmlWriter> body)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Indent = false, Encoding = Encoding.UTF8, CheckCharacters = false }))
        {
            body(w);
        }
        return sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"");
    }
}
