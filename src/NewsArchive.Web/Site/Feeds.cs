using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>/feed.atom (latest 50, optionally one outlet: ?source=&lt;outlet id&gt;, or a search's newest matches: ?q=), /robots.txt and the sitemap index with its parts.</summary>
public static class Feeds
{
    public const int FeedSize = 50;
    public const int SitemapSize = 50_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/feed.atom", async (HttpContext ctx, Database db, SearchEngine engine, ArchiveStats stats, TimeZoneInfo zone, Display display,
            IStringLocalizer<SharedResource> l, string? lang) =>
        {
            // With q, the newest matches of that search (a saved search to subscribe to); its filters either way.
            if (!SearchParameters.TryRead(ctx.Request, stats, zone, "language", out var asked, out var refused, optionalQuery: true))
            {
                return Results.Text(refused.Reason, "text/plain; charset=utf-8", statusCode: refused.Status);
            }
            // Feed readers send no cookie and often a header the reader never chose: ?lang= alone picks the language.
            var ui = UiCultures.Names.Contains(lang) ? lang! : UiCultures.Names[0];
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(ui);
            var (source, rows) = (asked.Filter.Outlet, await NewestAsync(ctx, db, engine, asked));
            if (rows is null)
            {
                return Results.Text("the search took too long; try a narrower query", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            var site = PublicUrls.SiteUrl(ctx.Request);
            var script = ScriptPreference.FromQuery(ctx.Request) ?? ScriptPreference.Original;
            // The query as the cache cut it: the parameters this feed is keyed on, in a fixed order.
            var self = site + "/feed.atom" + ctx.Request.QueryString;
            var searched = asked.Query is null ? "" : ": " + string.Format(Display.Culture, l["Search.TitleFor"], asked.Query.Raw);
            // As XML: Chromium shows application/atom+xml as plain text and never applies its stylesheet;
            // feed readers go by the root element (and the type of the pages' alternate links).
            return Results.Text(Write(w =>
            {
                // Browsers show the feed through this stylesheet (wwwroot/feed.xsl); feed readers ignore it.
                w.WriteProcessingInstruction("xml-stylesheet", $"type=\"text/xsl\" href=\"{ctx.Request.PathBase}/feed.xsl\"");
                w.WriteStartElement("feed", "http://www.w3.org/2005/Atom");
                w.WriteAttributeString("xml", "lang", null, ui);
                Element(w, "title", Title(l, source is null ? null : stats.Outlet(source).Name(ui)) + searched);
                Element(w, "id", self);
                w.WriteStartElement("link");
                Attribute(w, "rel", "self");
                Attribute(w, "href", self);
                w.WriteEndElement();
                Element(w, "updated", Display.Iso(rows.FirstOrDefault()?.PublishedAt ?? DateTimeOffset.UnixEpoch));
                // What the stylesheet says to a person who opened the feed, in the feed's language.
                w.WriteStartElement("page", PageNamespace);
                Element(w, "site", l["Site.Name"], site + "/");
                w.WriteElementString("intro", PageNamespace, XmlSafe(l["Feed.Intro"]));
                w.WriteElementString("copy", PageNamespace, XmlSafe(l["Feed.Copy"]));
                Element(w, "feeds", l["Feeds.Title"], site + "/feeds");
                w.WriteEndElement();
                foreach (var r in rows)
                {
                    var shown = ScriptView.Row(script, r);
                    w.WriteStartElement("entry");
                    Element(w, "title", shown.Title);
                    Element(w, "id", site + "/a/" + r.Permalink);
                    w.WriteStartElement("link");
                    Attribute(w, "href", site + "/a/" + r.Permalink);
                    w.WriteEndElement();
                    w.WriteStartElement("link");
                    Attribute(w, "rel", "via");
                    Attribute(w, "href", r.Url);
                    w.WriteEndElement();
                    Element(w, "updated", Display.Iso(r.PublishedAt ?? DateTimeOffset.UnixEpoch));
                    w.WriteStartElement("author");
                    Element(w, "name", r.Byline ?? stats.Outlet(r.Outlet).Name(Display.Culture.Name));
                    w.WriteEndElement();
                    w.WriteElementString("date", PageNamespace, XmlSafe(display.Date(r.PublishedAt)));
                    w.WriteStartElement("summary");
                    w.WriteAttributeString("xml", "lang", null, XmlSafe(shown.Language));
                    w.WriteString(XmlSafe(shown.Excerpt));
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }), "application/xml; charset=utf-8");
        }).CacheOutput(CachePolicies.Feed).WithMetadata(new RequestCostAttribute(RequestCost.Search));

        // Robots at the host's root: under a path base the operator's proxy must serve it there (docs/deploy.md).
        app.MapGet("/robots.txt", (HttpContext ctx) => Results.Text(
            $"User-agent: *\nDisallow: {ctx.Request.PathBase}/search\nDisallow: {ctx.Request.PathBase}/api/\nDisallow: {ctx.Request.PathBase}/operator\n"
            + $"Disallow: {ctx.Request.PathBase}/media/load\nSitemap: {PublicUrls.SiteUrl(ctx.Request)}/sitemap.xml\n",
            "text/plain; charset=utf-8")).CacheOutput(CachePolicies.Fixed);

        // A sitemap index of parts of at most 50,000 URLs each (the protocol's limit), newest first.
        app.MapGet("/sitemap.xml", (HttpContext ctx, Database db) =>
        {
            using var c = db.Open();
            var parts = Math.Max(1, (ArticleStore.Count(c, new ArticleFilter()) + SitemapSize - 1) / SitemapSize);
            var tagParts = (TagStore.Count(c) + SitemapSize - 1) / SitemapSize;
            var storyParts = (StoryStore.ThreadCount(c) + SitemapSize - 1) / SitemapSize;
            var site = PublicUrls.SiteUrl(ctx.Request);
            return Results.Text(Write(w =>
            {
                w.WriteStartElement("sitemapindex", SitemapNamespace);
                for (var n = 1; n <= parts; n++)
                {
                    w.WriteStartElement("sitemap");
                    Element(w, "loc", $"{site}/sitemap-{n}.xml");
                    w.WriteEndElement();
                }
                for (var n = 1; n <= tagParts; n++)
                {
                    w.WriteStartElement("sitemap");
                    Element(w, "loc", $"{site}/sitemap-tags-{n}.xml");
                    w.WriteEndElement();
                }
                for (var n = 1; n <= storyParts; n++)
                {
                    w.WriteStartElement("sitemap");
                    Element(w, "loc", $"{site}/sitemap-stories-{n}.xml");
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }), "application/xml; charset=utf-8");
        }).CacheOutput(CachePolicies.Fixed);

        app.MapGet("/sitemap-{part:int}.xml", (HttpContext ctx, Database db, int part) =>
        {
            var site = PublicUrls.SiteUrl(ctx.Request);
            List<ArticleRow> rows;
            using (var c = db.Open())
            {
                var total = ArticleStore.Count(c, new ArticleFilter());
                if (part < 1 || (part - 1L) * SitemapSize >= Math.Max(total, 1))
                {
                    return Results.NotFound();
                }
                rows = ArticleStore.Page(c, new ArticleFilter(), (part - 1) * SitemapSize, SitemapSize, total);
            }
            return UrlSet(rows.Select(r => (site + "/a/" + r.Permalink, r.PublishedAt)));
        }).CacheOutput(CachePolicies.Fixed);

        app.MapGet("/sitemap-tags-{part:int}.xml", (HttpContext ctx, Database db, int part) =>
        {
            var site = PublicUrls.SiteUrl(ctx.Request);
            List<TagStore.Tag> tags;
            using (var c = db.Open())
            {
                if (part < 1 || (part - 1L) * SitemapSize >= TagStore.Count(c))
                {
                    return Results.NotFound();
                }
                tags = TagStore.Page(c, (part - 1) * SitemapSize, SitemapSize);
            }
            return UrlSet(tags.Select(t => (site + Links.TagPath(t.Name), (DateTimeOffset?)null)));
        }).CacheOutput(CachePolicies.Fixed);

        // The story threads of two or more articles (docs/stories.md), the latest first, each dated by its last article.
        app.MapGet("/sitemap-stories-{part:int}.xml", (HttpContext ctx, Database db, int part) =>
        {
            var site = PublicUrls.SiteUrl(ctx.Request);
            List<(string Id, long LastKey)> stories;
            using (var c = db.Open())
            {
                if (part < 1 || (part - 1L) * SitemapSize >= StoryStore.ThreadCount(c))
                {
                    return Results.NotFound();
                }
                stories = StoryStore.ThreadPage(c, (part - 1) * SitemapSize, SitemapSize);
            }
            return UrlSet(stories.Select(s => (site + "/story/" + s.Id, (DateTimeOffset?)SortKeys.Moment(s.LastKey))));
        }).CacheOutput(CachePolicies.Fixed);
    }

    /// <summary>The feed's articles: the newest in the filters, or the newest matches of the search (null: past the search's budget).</summary>
    private static async Task<IReadOnlyList<ArticleRow>?> NewestAsync(HttpContext ctx, Database db, SearchEngine engine, AskedSearch asked)
    {
        if (asked.Query is null)
        {
            using var c = db.Open();
            return ArticleStore.Page(c, asked.Filter, 0, FeedSize);
        }
        using var budget = SearchBudget.Start(ctx);
        try
        {
            var result = await engine.SearchAsync(new SearchRequest(asked.Query, asked.Filter, SearchSort.Newest, 1, FeedSize), budget.Token);
            return result.Hits.Select(h => h.Article).ToList();
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The feed's address (path from the site's root) for one source or all, in a UI language and a script.</summary>
    public static string Address(string? source, string? lang, string script)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (source is not null)
        {
            query.Add(new("source", source));
        }
        if (lang is not null)
        {
            query.Add(new("lang", lang));
        }
        if (script != ScriptPreference.Original)
        {
            query.Add(new("script", script));
        }
        return QueryHelpers.AddQueryString("/feed.atom", query);
    }

    /// <summary>A feed's title in the current UI language: the site's latest articles, or one source's.</summary>
    public static string Title(IStringLocalizer l, string? source) => l["Feed.Named", l["Site.Name"], source ?? l["Feed.Title"]];

    /// <summary>
    /// The feeds a reader can subscribe to, by kind (the site's, then one per source); a new kind of
    /// feed is one more group here, and /feeds lists it.
    /// </summary>
    public static IReadOnlyList<(string Group, IReadOnlyList<(string Title, string Path)> Feeds)> Catalog(
        IStringLocalizer l, ArchiveStats stats, string lang, string script) =>
    [
        ("Feeds.Site", [(Title(l, null), Address(null, lang, script))]),
        ("Feeds.Sources", stats.Outlets().Select(o => (Title(l, stats.Outlet(o.Outlet).Name(lang)), Address(o.Outlet, lang, script))).ToList()),
    ];

    private const string PageNamespace = "urn:x-newsarchive:feed-page";

    private const string SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    // Written to the response as it goes: 50,000 URLs are some 5 MB of XML, never built as one string.
    private static IResult UrlSet(IEnumerable<(string Loc, DateTimeOffset? LastMod)> urls) => Results.Stream(async body =>
    {
        await using var w = XmlWriter.Create(body, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false) });
        await w.WriteStartElementAsync(null, "urlset", SitemapNamespace);
        foreach (var (loc, lastMod) in urls)
        {
            await w.WriteStartElementAsync(null, "url", SitemapNamespace);
            await w.WriteElementStringAsync(null, "loc", SitemapNamespace, XmlSafe(loc));
            if (lastMod is { } t)
            {
                await w.WriteElementStringAsync(null, "lastmod", SitemapNamespace,
                    t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }
            await w.WriteEndElementAsync();
        }
        await w.WriteEndElementAsync();
    }, "application/xml; charset=utf-8");

    private static string Write(Action<XmlWriter> body)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Indent = false, Encoding = Encoding.UTF8 }))
        {
            body(w);
        }
        return sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"");
    }

    // Every value through XmlSafe: the ingest strips those characters too, but a feed must parse
    // whatever the database holds (the writer checks characters, and would throw instead).
    private static void Element(XmlWriter w, string name, string value) => w.WriteElementString(name, XmlSafe(value));

    private static void Element(XmlWriter w, string name, string text, string href)
    {
        w.WriteStartElement(name, PageNamespace);
        Attribute(w, "href", href);
        w.WriteString(XmlSafe(text));
        w.WriteEndElement();
    }

    private static void Attribute(XmlWriter w, string name, string value) => w.WriteAttributeString(name, XmlSafe(value));

    /// <summary>Text without the characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/FFFF).</summary>
    public static string XmlSafe(string s)
    {
        if (s.All(XmlConvert.IsXmlChar))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (XmlConvert.IsXmlChar(s[i]))
            {
                sb.Append(s[i]);
            }
            else if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i]))
            {
                sb.Append(s, i++, 2);
            }
        }
        return sb.ToString();
    }
}
