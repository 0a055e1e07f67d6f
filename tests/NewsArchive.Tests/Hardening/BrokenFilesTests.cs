using System.Diagnostics;
using System.Text;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Hardening;

/// <summary>
/// Broken files mixed with good ones: every bad file is reported with its reason, the run finishes,
/// and every good article is stored exactly once.
/// </summary>
public sealed class BrokenFilesTests
{
    [Fact]
    public async Task Bad_files_are_reported_and_every_good_article_is_stored_once()
    {
        using var t = new TempDatabase("broken");
        var dir = t.Seeds;
        var good = Directory.GetFiles(TestData.Seeds).Select(File.ReadAllText).ToList();
        var seed = good[1];
        for (var i = 0; i < good.Count; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"good-{i}.md"), good[i]);
        }
        // Truncated at every section boundary of a real seed file.
        var cuts = new[] { "<!--", "-->", "\n[", "](", ")\n", "\n---" }
            .Select(marker => seed.IndexOf(marker, StringComparison.Ordinal) + marker.Length / 2).ToList();
        for (var k = 0; k < cuts.Count; k++)
        {
            File.WriteAllText(Path.Combine(dir, $"truncated-{k}.md"), seed[..cuts[k]]);
        }
        File.WriteAllText(Path.Combine(dir, "truncated-frontmatter.md"), "---\ntitle: x\nfrom: https://e.com/x\n");
        File.WriteAllText(Path.Combine(dir, "empty.md"), "");
        File.WriteAllBytes(Path.Combine(dir, "binary.md"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "invalid-utf8.md"),
            [.. Encoding.UTF8.GetBytes("<!--1718805542000-->\n[bad \xff bytes](https://e.com/utf8)\n------\n<p>x"), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("</p>")]);
        File.WriteAllText(Path.Combine(dir, "no-title.md"), "<!--1718805542000-->\n[](https://e.com/no-title)\n------\n<p>x</p>");
        File.WriteAllText(Path.Combine(dir, "no-url.md"), "<!--1718805542000-->\n[title only]()\n------\n<p>x</p>");
        File.WriteAllText(Path.Combine(dir, "not-a-url.md"), "<!--1718805542000-->\n[t](ht!tp:/\\nope)\n------\n<p>x</p>");
        File.WriteAllText(Path.Combine(dir, "no-timestamp.md"), "<!---->\n[no time](https://e.com/no-time)\n------\n<p>kept</p>");
        File.WriteAllText(Path.Combine(dir, "dup-a.md"), "<!--1718805542000-->\n[copy a](https://e.com/dup)\n------\n<p>a</p>");
        File.WriteAllText(Path.Combine(dir, "dup-b.md"), "<!--1718805542000-->\n[copy b, other content](https://e.com/dup)\n------\n<p>b</p>");
        File.WriteAllText(Path.Combine(dir, "nested.md"),
            "<!--1718805542000-->\n[deep](https://e.com/deep)\n------\n" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "深处");
        using (var big = File.Create(Path.Combine(dir, "huge-body.md")))
        {
            big.Write(Encoding.UTF8.GetBytes("<!--1718805542000-->\n[huge](https://e.com/huge)\n------\n"));
            var block = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<p>很长的正文</p>", 1000)));
            while (big.Length < 50L << 20)
            {
                big.Write(block);
            }
        }
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.CreateSymbolicLink(Path.Combine(dir, "sub", "loop"), dir);
        if (Process.Start("mkfifo", Path.Combine(dir, "fifo.md")) is { } mkfifo)
        {
            await mkfifo.WaitForExitAsync();
        }

        var db = t.Db;
        var events = new List<FileEvent>();
        var run = await new Ingester(db) { OnFile = e => { lock (events) { events.Add(e); } } }.RunAsync([dir]);

        var rejected = events.Where(e => e.Status == "rejected").Select(e => Path.GetFileName(e.Path)).Order().ToList();
        Assert.All(events, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        Assert.Contains("empty.md", rejected);
        Assert.Contains("binary.md", rejected);
        // A body without a title is an article with a derived title (issue 17), not a rejection.
        Assert.DoesNotContain("no-title.md", rejected);
        Assert.Contains("no-url.md", rejected);
        Assert.Contains("not-a-url.md", rejected);
        Assert.Contains("huge-body.md", rejected);
        Assert.Contains("fifo.md", rejected);
        Assert.All(cuts.Select((_, k) => $"truncated-{k}.md"), f => Assert.True(rejected.Contains(f) || events.Any(e => e.Path.EndsWith(f, StringComparison.Ordinal)), f));

        using var c = db.Open();
        var urls = c.Query<string>("SELECT url FROM articles").ToList();
        Assert.Equal(urls.Count, urls.Distinct().Count());
        foreach (var url in new[] { "https://e.com/utf8", "https://e.com/no-title", "https://e.com/no-time", "https://e.com/dup", "https://e.com/deep" })
        {
            Assert.Contains(url, urls);
        }
        Assert.Equal(2, c.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE url LIKE '%rfi.fr%' OR url LIKE '%voachinese%'"));
        Assert.Equal("copy a", c.QuerySingle<string>("SELECT title FROM articles WHERE url = 'https://e.com/dup'"));
        Assert.Equal(1, run.Duplicates);
        Assert.Equal(run.Seen, run.Processed);
    }
}
