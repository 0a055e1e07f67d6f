using System.Globalization;
using System.Text;
using System.Text.Json;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>
/// An archived article as a citation names it: title, byline, the outlet in the article's own
/// language (as the outlet names itself there: a Traditional article gets the Traditional name, an
/// English one the English name), the original URL, the day published and the day archived (its
/// first ingest), both days in the display time zone, and the archive's permalink. APA, MLA and
/// Chicago are English-language styles: their words and month names are English whatever the UI's language.
/// </summary>
public sealed record Citation(string Key, string Title, string? Author, string Outlet, string Url, DateOnly? Published, string Permalink,
    DateOnly Archived, string Language)
{
    public const string ArchiveName = "NewsArchive";

    // MLA abbreviates the months of more than four letters.
    private static readonly string[] MlaMonths = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public static Citation Of(ArticleRow a, DateTimeOffset archivedAt, ArchiveStats stats, TimeZoneInfo zone, string site) =>
        new("newsarchive-" + a.Permalink, a.Title, a.Byline, stats.Outlet(a.Outlet).Name(a.Language), a.Url,
            a.PublishedAt is { } p ? Day(p, zone) : null, site + "/a/" + a.Permalink, Day(archivedAt, zone), a.Language);

    private static DateOnly Day(DateTimeOffset t, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, zone).DateTime);

    private static string Long(DateOnly d) => d.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    /// <summary>APA 7, a newspaper article online.</summary>
    public string Apa()
    {
        var date = Published is { } p ? p.ToString("yyyy, MMMM d", CultureInfo.InvariantCulture) : "n.d.";
        var head = Author is null ? $"{Sentence(Title)} ({date})." : $"{Sentence(Author)} ({date}). {Sentence(Title)}";
        return $"{head} {Outlet}. {Url} (archived {Long(Archived)}, at {Permalink})";
    }

    /// <summary>MLA 9.</summary>
    public string Mla()
    {
        var author = Author is null ? "" : Sentence(Author) + " ";
        var published = Published is { } p ? $" {p.Day} {MlaMonths[p.Month - 1]} {p.Year}," : "";
        return $"{author}\u201C{Sentence(Title)}\u201D {Outlet},{published} {Url}. Archived {Archived.Day} {MlaMonths[Archived.Month - 1]} {Archived.Year} at {Permalink}.";
    }

    /// <summary>Chicago, notes and bibliography: the bibliography entry.</summary>
    public string Chicago()
    {
        var author = Author is null ? "" : Sentence(Author) + " ";
        var published = Published is { } p ? ", " + Long(p) : "";
        return $"{author}\u201C{Sentence(Title)}\u201D {Outlet}{published}. {Url}. Archived {Long(Archived)}, at {Permalink}.";
    }

    /// <summary>A biblatex @online entry; the archived day is its urldate, the permalink in its note.</summary>
    public string BibTeX()
    {
        var sb = new StringBuilder().Append("@online{").Append(Key).Append(",\n");
        void Field(string name, string? value)
        {
            if (value is not null)
            {
                sb.Append("  ").Append(name).Append(" = {").Append(value).Append("},\n");
            }
        }
        Field("title", TeX(Title));
        // Braced again: a byline is one name, never "Last, First and Other" for BibTeX to split.
        Field("author", Author is null ? null : "{" + TeX(Author) + "}");
        Field("organization", TeX(Outlet));
        Field("date", Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Field("url", Verbatim(Url));
        Field("urldate", Archived.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Field("note", $"Archived at \\url{{{Verbatim(Permalink)}}}");
        return sb.Append("}\n").ToString();
    }

    /// <summary>CSL-JSON (an array of one item): the archived day is "accessed", the archive and permalink its archive fields.</summary>
    public string CslJson()
    {
        var item = new Dictionary<string, object?>
        {
            ["id"] = Key,
            ["type"] = "article-newspaper",
            ["title"] = Title,
            ["container-title"] = Outlet,
            ["URL"] = Url,
            ["language"] = Language,
            ["archive"] = ArchiveName,
            ["archive_location"] = Permalink,
            ["accessed"] = Parts(Archived),
        };
        if (Author is not null)
        {
            item["author"] = new[] { new Dictionary<string, string> { ["literal"] = Author } };
        }
        if (Published is { } p)
        {
            item["issued"] = Parts(p);
        }
        return JsonSerializer.Serialize(new[] { item }, Json);
    }

    private static Dictionary<string, int[][]> Parts(DateOnly d) => new() { ["date-parts"] = [[d.Year, d.Month, d.Day]] };

    /// <summary>Text that ends as a sentence: a period unless it already ends in a mark.</summary>
    private static string Sentence(string s) => s.Length > 0 && ".?!。？！".Contains(s[^1]) ? s : s + ".";

    /// <summary>Text for a BibTeX value: TeX's special characters escaped, so braces stay balanced.</summary>
    private static string TeX(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            sb.Append(ch switch
            {
                '\\' => @"\textbackslash{}",
                '{' or '}' or '%' or '&' or '#' or '$' or '_' => "\\" + ch,
                '^' => @"\^{}",
                '~' => @"\~{}",
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>A URL as a verbatim field takes it: only what would unbalance the braces, percent-encoded.</summary>
    private static string Verbatim(string url) => url.Replace("\\", "%5C", StringComparison.Ordinal)
        .Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal);
}

/// <summary>/a/{id}/cite.bib and /a/{id}/cite.json: an article's citation as a file a reference manager imports.</summary>
public static class Citations
{
    public const string BibTeXType = "application/x-bibtex; charset=utf-8";
    public const string CslJsonType = "application/vnd.citationstyles.csl+json; charset=utf-8";

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var bib in new[] { true, false })
        {
            var file = bib ? "cite.bib" : "cite.json";
            app.MapGet("/a/{id}/" + file, (HttpContext ctx, Database db, ArchiveStats stats, TimeZoneInfo zone, string id) =>
            {
                if (!Permalink.IsWellFormed(id))
                {
                    return Results.NotFound();
                }
                using var c = db.Open();
                if (ArticleStore.GetByPermalink(c, id) is not { } a)
                {
                    // As the article page: taken down 410, an old permalink of a merged URL 301.
                    return TakedownStore.Find(c, id) is not null ? Results.StatusCode(StatusCodes.Status410Gone)
                        : ArticleAliasStore.CanonicalOf(c, id) is { } canonical ? Results.Redirect($"{ctx.Request.PathBase}/a/{canonical}/{file}", permanent: true)
                        : Results.NotFound();
                }
                var cite = Of(c, a, stats, zone, ctx.Request);
                return Results.Text(bib ? cite.BibTeX() : cite.CslJson(), bib ? BibTeXType : CslJsonType);
            }).CacheOutput(CachePolicies.Fixed);
        }
    }

    public static Citation Of(System.Data.Common.DbConnection c, ArticleRow a, ArchiveStats stats, TimeZoneInfo zone, HttpRequest r) =>
        Citation.Of(a, DateTimeOffset.FromUnixTimeMilliseconds(ArticleStore.IngestedAt(c, a.Id)), stats, zone, PublicUrls.SiteUrl(r));
}
