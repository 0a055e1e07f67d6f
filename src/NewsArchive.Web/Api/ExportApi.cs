using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Api;

/// <summary>
/// GET /export.csv and /export.jsonl: the whole result list of a search (q, source, language, from,
/// to, sort as on /search; text=1 adds the plain text), written as it is read, at most
/// <see cref="MaxRows"/> rows. A list that is cut, or whose total is a lower bound, says so in
/// <c>X-Export-Truncated: true</c> (and, in JSON Lines, a last <c>{"truncated":true,"total":N}</c> line).
/// </summary>
public static class ExportApi
{
    public const int MaxRows = 50_000;

    /// <summary>
    /// An export's whole time, its statements and its writing: a search's 2 s would cut a long list
    /// off mid-stream on a slow client; at 20,000 rows/s the largest list needs a few seconds.
    /// </summary>
    public static readonly TimeSpan Time = TimeSpan.FromSeconds(60);

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var csv in new[] { true, false })
        {
            app.MapGet(csv ? "/export.csv" : "/export.jsonl", (HttpContext ctx, SearchEngine engine, ArchiveStats stats, TimeZoneInfo zone) =>
                    ExportAsync(ctx, engine, stats, zone, csv))
                .WithMetadata(new RequestCostAttribute(RequestCost.Search))
                .WithRequestTimeout(Time);
        }
    }

    private static async Task<IResult> ExportAsync(HttpContext ctx, SearchEngine engine, ArchiveStats stats, TimeZoneInfo zone, bool csv)
    {
        if (!SearchParameters.TryRead(ctx.Request, stats, zone, "language", out var asked, out var refused))
        {
            return Results.Text(refused.Reason, "text/plain; charset=utf-8", statusCode: refused.Status);
        }
        var (query, filter, sort) = (asked.Query!, asked.Filter, asked.Sort);
        var withText = ctx.Request.Query["text"] == "1";
        var budget = SearchBudget.Start(ctx, Time);
        SearchResult counted;
        try
        {
            // The total first: the headers must say whether the list is cut before any row is sent.
            counted = await engine.SearchAsync(new SearchRequest(query, filter, sort, 1, 1), budget.Token);
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            budget.Dispose();
            return Results.Text("the search took too long; try a narrower query", "text/plain; charset=utf-8",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var truncated = counted.Total > MaxRows || counted.TotalIsLowerBound;
        ctx.Response.Headers["X-Export-Total"] = counted.Total.ToString(CultureInfo.InvariantCulture);
        if (truncated)
        {
            ctx.Response.Headers["X-Export-Truncated"] = "true";
        }
        var site = PublicUrls.SiteUrl(ctx.Request);
        var pages = engine.All(query, filter, sort, MaxRows, withText ? int.MaxValue : 0, budget.Token);
        return Results.Stream(async body =>
        {
            using (budget)
            {
                try
                {
                    await (csv ? WriteCsvAsync(body, pages, site, stats, withText, budget.Token)
                        : WriteJsonLinesAsync(body, pages, site, stats, withText, truncated ? counted.Total : null, budget.Token));
                }
                catch (OperationCanceledException)
                {
                    // Past the budget with the headers sent: the client must see a broken download, not a short one.
                    ctx.Abort();
                }
            }
        }, csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8",
            csv ? "newsarchive-search.csv" : "newsarchive-search.jsonl");
    }

    /// <summary>RFC 4180 (CRLF, fields quoted where needed), UTF-8 with a byte order mark: without it Excel reads the Chinese as ANSI.</summary>
    private static async Task WriteCsvAsync(Stream body, IEnumerable<IReadOnlyList<ArticleRow>> pages, string site, ArchiveStats stats, bool withText, CancellationToken ct)
    {
        var sb = new StringBuilder("\uFEFFpermalink,url,outlet_id,outlet_name,published,language,title");
        sb.Append(withText ? ",text\r\n" : "\r\n");
        foreach (var rows in pages)
        {
            foreach (var r in rows)
            {
                string[] fields = [site + "/a/" + r.Permalink, r.Url, r.Outlet, OutletName(stats, r), Display.Iso(r.PublishedAt), r.Language, r.Title];
                for (var i = 0; i < fields.Length; i++)
                {
                    AppendCsv(sb.Append(i == 0 ? "" : ","), fields[i]);
                }
                if (withText)
                {
                    AppendCsv(sb.Append(','), r.Text ?? "");
                }
                sb.Append("\r\n");
            }
            await body.WriteAsync(Utf8.GetBytes(sb.ToString()), ct);
            sb.Clear();
        }
        await body.WriteAsync(Utf8.GetBytes(sb.ToString()), ct);
    }

    private static void AppendCsv(StringBuilder sb, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            sb.Append(value);
            return;
        }
        sb.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static async Task WriteJsonLinesAsync(Stream body, IEnumerable<IReadOnlyList<ArticleRow>> pages, string site, ArchiveStats stats, bool withText,
        long? truncatedTotal, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer, JsonOptions);
        foreach (var rows in pages)
        {
            foreach (var r in rows)
            {
                json.Reset(buffer);
                json.WriteStartObject();
                json.WriteString("permalink", site + "/a/" + r.Permalink);
                json.WriteString("url", r.Url);
                json.WriteStartObject("outlet");
                json.WriteString("id", r.Outlet);
                json.WriteString("name", OutletName(stats, r));
                json.WriteEndObject();
                if (r.PublishedAt is { } published)
                {
                    json.WriteString("published", Display.Iso(published));
                }
                else
                {
                    json.WriteNull("published");
                }
                json.WriteString("language", r.Language);
                json.WriteString("title", r.Title);
                if (withText)
                {
                    json.WriteString("text", r.Text ?? "");
                }
                json.WriteEndObject();
                json.Flush();
                buffer.Write("\n"u8);
            }
            await body.WriteAsync(buffer.WrittenMemory, ct);
            buffer.ResetWrittenCount();
        }
        if (truncatedTotal is { } total)
        {
            await body.WriteAsync(Utf8.GetBytes($"{{\"truncated\":true,\"total\":{total.ToString(CultureInfo.InvariantCulture)}}}\n"), ct);
        }
    }

    /// <summary>An outlet as the article names it: in the article's language (a Traditional article, the Traditional name).</summary>
    private static string OutletName(ArchiveStats stats, ArticleRow r) => stats.Outlet(r.Outlet).Name(r.Language);
}
