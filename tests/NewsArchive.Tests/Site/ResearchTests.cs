using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Site;

/// <summary>
/// For people who study the news, over the real app and the dev archive: a search's Atom feed is
/// its newest matches, its export is its whole result list (read back with parsers of the tests'
/// own), and an article's citation round-trips through independent BibTeX and CSL-JSON readers.
/// </summary>
[Collection(DevCorpusCollection.Name)]
public sealed class ResearchTests(DevCorpusDb dev)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private const string DevQuery = "特朗普 OR 川普";

    private static string E(string s) => Uri.EscapeDataString(s);

    private AppFactory DevApp() => new(seeds: null, dev.Db.Path);

    private static async Task<(long Total, bool LowerBound, List<string> Ids)> SearchAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/search?" + query);
        return (page.GetProperty("total").GetInt64(), page.GetProperty("totalIsLowerBound").GetBoolean(),
            page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList());
    }

    [CorpusFact]
    public async Task A_search_feed_is_valid_Atom_of_the_newest_matches_in_order()
    {
        using var app = DevApp();
        var client = app.CreateClient();
        foreach (var (feedFilters, apiFilters) in new[] { ("", ""), ("&language=zh-Hant", "&lang=zh-Hant"), ("&from=2021-01-10&to=2021-01-20", "&from=2021-01-10&to=2021-01-20") })
        {
            var (total, _, ids) = await SearchAsync(client, $"q={E(DevQuery)}&sort=newest&size=50{apiFilters}");
            Assert.True(total > 0, apiFilters);
            using var r = await client.GetAsync($"/feed.atom?q={E(DevQuery)}{feedFilters}");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("application/xml", r.Content.Headers.ContentType?.MediaType);
            var feed = XDocument.Parse(await r.Content.ReadAsStringAsync()).Root!;
            Assert.Equal(Atom + "feed", feed.Name);
            Assert.Contains(DevQuery, feed.Element(Atom + "title")!.Value);
            Assert.StartsWith("http://localhost/feed.atom?q=", feed.Element(Atom + "id")!.Value);
            var entries = feed.Elements(Atom + "entry").ToList();
            Assert.Equal(ids.Select(id => "http://localhost/a/" + id), entries.Select(e => e.Element(Atom + "id")!.Value));
            var updated = entries.Select(e => DateTimeOffset.Parse(e.Element(Atom + "updated")!.Value, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(updated.OrderByDescending(u => u), updated);
            Assert.Equal(updated[0], DateTimeOffset.Parse(feed.Element(Atom + "updated")!.Value, CultureInfo.InvariantCulture));
        }
    }

    [CorpusFact]
    public async Task A_search_feed_refuses_bad_queries_with_a_reason_and_converts_the_script()
    {
        using var app = DevApp();
        var client = app.CreateClient();
        foreach (var (q, reason) in new[] { ("\"特朗普", "quote"), ("source:nosuchoutlet 特朗普", "names no source"), ("lang:klingon 特朗普", "not a value"), ("color:red", "unknown field") })
        {
            using var bad = await client.GetAsync("/feed.atom?q=" + E(q));
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, q);
            Assert.Equal("text/plain", bad.Content.Headers.ContentType?.MediaType);
            Assert.Contains(reason, await bad.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/feed.atom?q=x&from=2024-02-30")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/feed.atom?q=x&source=junk")).StatusCode);

        var titles = async (string script) => XDocument.Parse(await client.GetStringAsync($"/feed.atom?q={E("美国")}&language=zh-Hans{script}"))
            .Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value).ToList();
        var original = await titles("");
        var taiwan = await titles("&script=hant-tw");
        Assert.Equal(original.Count, taiwan.Count);
        var withGuo = original.Select((t, i) => (t, i)).Where(x => x.t.Contains('国')).ToList();
        Assert.NotEmpty(withGuo);
        Assert.All(withGuo, x => Assert.True(taiwan[x.i].Contains('國') && !taiwan[x.i].Contains('国'), taiwan[x.i]));
    }

    [CorpusFact]
    public async Task The_search_page_links_its_feed_and_exports()
    {
        using var app = DevApp();
        var client = app.CreateClient();
        var html = await client.GetStringAsync($"/search?q={E(DevQuery)}&language=zh-Hans&sort=newest&lang=en");
        var feed = $"/feed.atom?q={E(DevQuery)}&amp;language=zh-Hans";
        Assert.Contains($"<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{feed}\"", html);
        Assert.Contains($"<a href=\"{feed}\" type=\"application/atom+xml\">Subscribe to this search</a>", html);
        Assert.Contains($"href=\"/export.csv?q={E(DevQuery)}&amp;language=zh-Hans&amp;sort=newest\"", html);
    }

    [CorpusFact]
    public async Task An_export_lists_the_search_results_exactly()
    {
        using var app = DevApp();
        var client = app.CreateClient();
        foreach (var query in new[] { $"q={E("美国")}&sort=newest", $"q={E(DevQuery)}", $"q={E("中国 -美国")}&sort=newest" })
        {
            var (total, lowerBound, firstPage) = await SearchAsync(client, query + "&size=100");
            Assert.False(lowerBound);
            Assert.InRange(total, 101, 50_000);

            using var csvAnswer = await client.GetAsync("/export.csv?" + query + "&text=1");
            Assert.Equal(HttpStatusCode.OK, csvAnswer.StatusCode);
            Assert.Equal("text/csv", csvAnswer.Content.Headers.ContentType?.MediaType);
            Assert.False(csvAnswer.Headers.Contains("X-Export-Truncated"));
            var bytes = await csvAnswer.Content.ReadAsByteArrayAsync();
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
            var rows = ReadCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
            Assert.Equal(["permalink", "url", "outlet_id", "outlet_name", "published", "language", "title", "text"], rows[0]);
            Assert.Equal(total, rows.Count - 1);
            Assert.All(rows.Skip(1), r => Assert.Equal(8, r.Count));
            Assert.Equal(firstPage.Select(id => "http://localhost/a/" + id), rows.Skip(1).Take(100).Select(r => r[0]));
            Assert.Contains(rows.Skip(1), r => r[7].IndexOfAny([',', '"', '\n']) >= 0);
            Assert.Equal(total, rows.Skip(1).Select(r => r[0]).Distinct().Count());

            var lines = (await client.GetStringAsync("/export.jsonl?" + query)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(total, lines.Length);
            var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(rows.Skip(1).Select(r => r[0]), parsed.Select(j => j.GetProperty("permalink").GetString()));
            Assert.Equal(rows.Skip(1).Select(r => r[6]), parsed.Select(j => j.GetProperty("title").GetString()));
            Assert.Equal(rows.Skip(1).Select(r => r[3]), parsed.Select(j => j.GetProperty("outlet").GetProperty("name").GetString()));
        }
    }

    [CorpusFact]
    public async Task An_export_whose_total_is_a_lower_bound_says_it_is_cut()
    {
        using var app = DevApp();
        var client = app.CreateClient();
        // One-character runs in a phrase: checked against the text, more candidates than the check takes.
        var query = "q=" + E("\"的 是\"") + "&sort=newest";
        var (total, lowerBound, _) = await SearchAsync(client, query);
        Assert.True(lowerBound);
        using var answer = await client.GetAsync("/export.jsonl?" + query);
        Assert.Equal("true", answer.Headers.GetValues("X-Export-Truncated").Single());
        var lines = (await answer.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(total, lines.Length - 1);
        var last = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.True(last.GetProperty("truncated").GetBoolean());
        Assert.Equal(total, last.GetProperty("total").GetInt64());
        using var csv = await client.GetAsync("/export.csv?" + query);
        Assert.Equal("true", csv.Headers.GetValues("X-Export-Truncated").Single());
        Assert.Equal(total, ReadCsv((await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF')).Count - 1);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/export.csv?q=" + E("\"x"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/export.jsonl")).StatusCode);
    }

    [CorpusFact]
    public async Task A_citation_round_trips_through_BibTeX_and_CSL_JSON_readers()
    {
        using var app = DevApp();
        var client = app.CreateClient();
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/search?q={E(DevQuery)}&sort=newest&size=1");
        var a = page.GetProperty("results")[0];
        var id = a.GetProperty("id").GetString()!;
        var language = a.GetProperty("language").GetString()!;
        var outlet = a.GetProperty("outlet").GetProperty("names").GetProperty(language).GetString()!;
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        string Day(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var published = Day(DateTimeOffset.Parse(a.GetProperty("published").GetString()!, CultureInfo.InvariantCulture));
        string archived;
        using (var c = dev.Db.Open())
        {
            archived = Day(DateTimeOffset.FromUnixTimeMilliseconds(c.ExecuteScalar<long>("SELECT ingested_at FROM articles WHERE permalink = @id", new { id })));
        }
        var permalink = "http://localhost/a/" + id;

        using var bibAnswer = await client.GetAsync($"/a/{id}/cite.bib");
        Assert.Equal("application/x-bibtex", bibAnswer.Content.Headers.ContentType?.MediaType);
        var (type, key, fields) = ReadBibTeX(await bibAnswer.Content.ReadAsStringAsync());
        Assert.Equal("online", type);
        Assert.Equal("newsarchive-" + id, key);
        Assert.Equal(a.GetProperty("title").GetString(), fields["title"]);
        Assert.Equal(a.GetProperty("url").GetString(), fields["url"]);
        Assert.Equal(outlet, fields["organization"]);
        Assert.Equal(published, fields["date"]);
        Assert.Equal(archived, fields["urldate"]);
        Assert.Equal($"Archived at \\url{{{permalink}}}", fields["note"]);

        using var cslAnswer = await client.GetAsync($"/a/{id}/cite.json");
        Assert.Equal("application/vnd.citationstyles.csl+json", cslAnswer.Content.Headers.ContentType?.MediaType);
        var csl = Python("import json,sys; d=json.load(sys.stdin); assert len(d)==1; d=d[0]; "
            + "print('\\n'.join([d['type'], d['title'], d['URL'], d['container-title'], d['archive_location'], "
            + "'%04d-%02d-%02d' % tuple(d['issued']['date-parts'][0]), '%04d-%02d-%02d' % tuple(d['accessed']['date-parts'][0])]))",
            await cslAnswer.Content.ReadAsStringAsync());
        Assert.Equal(["article-newspaper", a.GetProperty("title").GetString()!, a.GetProperty("url").GetString()!, outlet, permalink, published, archived], csl);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/a/{id}?lang=en"));
        Assert.Contains("<summary>Cite this article</summary>", html);
        Assert.Contains($"{outlet}. {a.GetProperty("url").GetString()} (archived ", html);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/a/zzzzzzzzzzzz/cite.bib")).StatusCode);
    }

    /// <summary>RFC 4180: fields split by commas, records by CRLF, quoted fields with "" for a quote and any line breaks inside.</summary>
    private static List<List<string>> ReadCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
            {
                Assert.False(ch is '\r' or '\n' or '"', $"unquoted {(int)ch} at {i}");
                field.Append(ch);
            }
        }
        Assert.True(field.Length == 0 && record.Count == 0 && !quoted, "the last record ends with CRLF");
        return records;
    }

    /// <summary>One BibTeX entry: its type, key and braced fields, with TeX's escapes undone.</summary>
    private static (string Type, string Key, Dictionary<string, string> Fields) ReadBibTeX(string bib)
    {
        var at = bib.IndexOf('@');
        var open = bib.IndexOf('{', at);
        var comma = bib.IndexOf(',', open);
        var fields = new Dictionary<string, string>();
        var i = comma + 1;
        while (true)
        {
            while (i < bib.Length && (char.IsWhiteSpace(bib[i]) || bib[i] == ','))
            {
                i++;
            }
            if (bib[i] == '}')
            {
                break;
            }
            var eq = bib.IndexOf('=', i);
            var name = bib[i..eq].Trim();
            var start = bib.IndexOf('{', eq);
            var (depth, j) = (0, start);
            for (; ; j++)
            {
                if (bib[j] == '\\')
                {
                    j++;
                    continue;
                }
                depth += bib[j] == '{' ? 1 : bib[j] == '}' ? -1 : 0;
                if (depth == 0)
                {
                    break;
                }
            }
            var value = bib[(start + 1)..j];
            if (value.StartsWith('{') && value.EndsWith('}'))
            {
                value = value[1..^1];
            }
            fields[name] = name is "url" or "note" ? value : value.Replace(@"\textbackslash{}", "\\").Replace(@"\^{}", "^").Replace(@"\~{}", "~")
                .Replace(@"\{", "{").Replace(@"\}", "}").Replace(@"\%", "%").Replace(@"\&", "&").Replace(@"\#", "#").Replace(@"\$", "$").Replace(@"\_", "_");
            i = j + 1;
        }
        return (bib[(at + 1)..open], bib[(open + 1)..comma], fields);
    }

    private static string[] Python(string program, string input)
    {
        var psi = new ProcessStartInfo("python3", ["-c", program]) { RedirectStandardInput = true, RedirectStandardOutput = true, StandardOutputEncoding = Encoding.UTF8, StandardInputEncoding = new UTF8Encoding(false) };
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return output.TrimEnd('\n').Split('\n');
    }
}
