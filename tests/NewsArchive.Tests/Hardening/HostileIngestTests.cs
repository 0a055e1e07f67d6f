using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Hardening;

/// <summary>
/// Hostile files against the real ingest command in a child process (under a GC heap limit and a
/// time bound) and the real web process started on them: nothing crashes or hangs, every good
/// article is stored, every bad file is reported with a reason, and the site stays up after a restart.
/// </summary>
public sealed class HostileIngestTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The stated bound for the whole hostile corpus; a clean run takes a few seconds.</summary>
    private static readonly TimeSpan IngestBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_hostile_corpus_is_ingested_within_bounds_storing_every_good_article()
    {
        using var temp = new TempFolder("hostile");
        var dir = temp.Folder("seeds");
        var dbDir = temp.Path;
        var specs = HostileFiles.Write(dir);
        AddSpecialFiles(dir);
        var dbPath = Path.Combine(dbDir, "h.db");

        var run = await Child.RunAsync(["ingest", dir, "--db", dbPath], IngestBound);
        Assert.False(run.TimedOut, $"the ingest took longer than {IngestBound}");
        Assert.Equal(IngestCommand.SomeRejected, run.ExitCode);
        Assert.True(run.PeakRssBytes < 2L << 30, $"peak RSS {run.PeakRssBytes >> 20} MiB");

        var reported = Reported(run.Stderr);
        output.WriteLine($"ingest: {run.Elapsed.TotalSeconds:F1} s, peak RSS {run.PeakRssBytes >> 20} MiB, exit {run.ExitCode}");
        foreach (var (name, why) in reported.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{name}: {why}");
        }
        foreach (var s in specs.Where(s => s.Expect == HostileFiles.Expect.Rejected))
        {
            Assert.True(reported.TryGetValue(s.Name, out var why) && why.Length > 0, $"{s.Name} was not reported: {run.Stderr[..Math.Min(4000, run.Stderr.Length)]}");
        }
        foreach (var name in new[] { "fifo", "dev-zero-link" })
        {
            Assert.False(reported.ContainsKey(name) && reported[name].Length == 0, name);
        }
        Assert.True(reported.ContainsKey("fifo"), "the FIFO was not reported");

        using var c = TestBackend.At(dbPath).OpenUnpooled();
        var stored = c.Query<(string Url, string Title, string Text, string Html, string Source, string Tags, string Excerpt, long? Published)>(
            "SELECT url, title, text, html, source, tags, excerpt, published FROM articles").ToDictionary(r => r.Url);
        var latest = DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeMilliseconds();
        foreach (var s in specs.Where(s => s.Expect == HostileFiles.Expect.Stored))
        {
            Assert.True(stored.TryGetValue(s.Url!, out var a), $"{s.Name} was not stored ({(reported.TryGetValue(s.Name, out var why) ? why : "not reported")})");
            Assert.InRange(a.Title.Length, 1, 1000);
            Assert.InRange(a.Source.Length, 1, 200);
            Assert.InRange(a.Text.Length, 0, 1_000_000);
            Assert.True(a.Published is null || a.Published <= latest, $"{s.Name}: published {a.Published}");
            foreach (var field in new[] { a.Title, a.Text, a.Html, a.Source, a.Tags, a.Excerpt })
            {
                Assert.False(field.Any(ch => ch < 0x20 && ch is not ('\t' or '\n' or '\r') || ch is '\uFFFE' or '\uFFFF'), $"{s.Name}: a character XML forbids");
            }
            Assert.True(JsonSerializer.Deserialize<string[]>(a.Tags)!.Length <= 50, s.Name);
        }
        IndexChecks.AssertIntact(c);
        Assert.Equal(stored.Count, IndexChecks.IndexedCount(c));
    }

    [Fact]
    public void Every_hostile_file_parses_within_two_seconds()
    {
        using var temp = new TempFolder("hostile-parse");
        HostileFiles.Write(temp.Path, goodFiles: 1);
        var times = new List<(double Ms, string Name)>();
        foreach (var path in Directory.EnumerateFiles(temp.Path))
        {
            var bytes = File.ReadAllBytes(path);
            // A parser thread's stack (Ingest/Stages.cs), warm: the first read pays for the JIT.
            var watch = new Stopwatch();
            var thread = new Thread(() =>
            {
                ArticleReader.Read(bytes, path, DateTimeOffset.UtcNow);
                watch.Restart();
                ArticleReader.Read(bytes, path, DateTimeOffset.UtcNow);
                watch.Stop();
            }, 256 << 20);
            thread.Start();
            thread.Join();
            times.Add((watch.Elapsed.TotalMilliseconds, Path.GetFileName(path)));
        }
        var worst = times.Max();
        output.WriteLine($"{times.Count} files; slowest: " + string.Join(", ", times.OrderDescending().Take(5).Select(t => $"{t.Name} {t.Ms:F0} ms")));
        Assert.True(worst.Ms < 2000, $"{worst.Name} took {worst.Ms:F0} ms");
    }

    [Fact]
    public async Task The_site_started_on_the_hostile_corpus_stays_up_and_restarts()
    {
        using var temp = new TempFolder("hostile-site");
        var dir = temp.Folder("seeds");
        var dbDir = temp.Path;
        var good = HostileFiles.Write(dir).Count(s => s.Expect == HostileFiles.Expect.Stored);
        AddSpecialFiles(dir);
        // Per-client rate limits off: the test polls from one client for as long as the ingest takes.
        var env = new Dictionary<string, string>
        {
            ["Archive__Database"] = Path.Combine(dbDir, "site.db"),
            ["Archive__SeedsPath"] = dir,
            ["Archive__RateLimits__Enabled"] = "false",
        };
        for (var start = 0; start < 2; start++)
        {
            await using var site = await Site.StartAsync(env);
            using var http = new HttpClient { BaseAddress = new Uri(site.Url), Timeout = TimeSpan.FromSeconds(30) };
            var deadline = DateTime.UtcNow + IngestBound;
            long total;
            while ((total = JsonDocument.Parse(await http.GetStringAsync("/api/articles?size=1")).RootElement.GetProperty("total").GetInt64()) < good)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {total} of {good} articles after {IngestBound}");
                Assert.False(site.HasExited, "the site died");
                await Task.Delay(200);
            }
            Assert.Equal(good, total);
            Assert.True((await http.GetAsync("/healthz")).IsSuccessStatusCode);
            // Control characters never reach the feed: it parses as XML.
            XDocument.Parse(await http.GetStringAsync("/feed.atom"));
            foreach (var page in new[] { "/", "/sources", "/search?q=%E9%A6%99%E6%B8%AF", "/api/search?q=nfkc" })
            {
                var r = await http.GetAsync(page);
                Assert.True(r.IsSuccessStatusCode, $"{page}: {(int)r.StatusCode}");
            }
            Assert.False(site.HasExited);
        }
    }

    [Fact]
    public async Task A_file_the_ingest_dies_on_twice_is_quarantined_and_the_rest_goes_in()
    {
        using var temp = new TempFolder("poison");
        var dir = temp.Folder("seeds");
        var dbDir = temp.Path;
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"good-{i:D2}.md"), string.Format(HostileFiles.Header, $"good {i}", $"https://poison.example.org/{i}") + $"<p>good {i}</p>");
        }
        // Slow enough to parse that the test can kill the process while it does: a real death mid-parse.
        var poison = Path.Combine(dir, "m-slow.md");
        File.WriteAllText(poison, string.Format(HostileFiles.Header, "slow", "https://poison.example.org/slow")
            + string.Concat(Enumerable.Repeat("<p>" + string.Concat(Enumerable.Repeat("很长的一段文字，", 22)) + "<b>粗体</b></p>", 20_000)));
        var dbPath = Path.Combine(dbDir, "p.db");
        for (var death = 1; death <= 2; death++)
        {
            var killed = await Child.RunAsync(["ingest", dir, "--db", dbPath], IngestBound, killWhenParsing: (dbPath, "m-slow.md"));
            Assert.True(killed.KilledWhileParsing, $"death {death}: the ingest was not caught parsing the file ({killed.ExitCode}): {killed.Stderr}");
        }
        var last = await Child.RunAsync(["ingest", dir, "--db", dbPath], IngestBound);
        Assert.Equal(IngestCommand.SomeRejected, last.ExitCode);
        Assert.Contains("quarantined", Reported(last.Stderr)["m-slow"], StringComparison.Ordinal);

        using (var c = TestBackend.At(dbPath).OpenUnpooled())
        {
            Assert.Equal(20, c.ExecuteScalar<long>("SELECT count(*) FROM articles"));
            Assert.Equal("rejected", c.ExecuteScalar<string>("SELECT status FROM source_files WHERE path = @poison", new { poison }));
        }
        // Until it changes, it is not read again; once it does, it goes in.
        var again = await Child.RunAsync(["ingest", dir, "--db", dbPath], IngestBound);
        Assert.Equal(IngestCommand.Ok, again.ExitCode);
        File.WriteAllText(poison, string.Format(HostileFiles.Header, "slow", "https://poison.example.org/slow") + "<p>fixed</p>");
        var fixedRun = await Child.RunAsync(["ingest", dir, "--db", dbPath], IngestBound);
        Assert.Equal(IngestCommand.Ok, fixedRun.ExitCode);
        using (var c = TestBackend.At(dbPath).OpenUnpooled())
        {
            Assert.Equal(21, c.ExecuteScalar<long>("SELECT count(*) FROM articles"));
        }
    }

    [Fact]
    public async Task A_file_the_store_refuses_is_rejected_alone_and_its_batch_commits()
    {
        using var t = new TempDatabase("collide");
        var dir = t.Seeds;
        for (var i = 0; i < 10; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"a-{i:D2}.md"), string.Format(HostileFiles.Header, $"a {i}", $"https://collide.example.org/{i}") + $"<p>a {i}</p>");
        }
        // 60-bit permalinks are within birthday reach on a large archive: an article already holds
        // the permalink that file a-05's URL hashes to, under another URL.
        var db = t.Db;
        using (var c = db.OpenArticles())
        {
            c.Execute("""
                INSERT INTO articles (id, permalink, url, title, published, sort_key, source, language, tags, excerpt, text, html, source_path, ingested_at, updated_at)
                VALUES (1, @permalink, 'https://elsewhere.example.org/x', 'other', NULL, 1, 'elsewhere', 'en', '[]', '', 'other', '', '/nowhere', 0, 0)
                """, new { permalink = Permalink.For("https://collide.example.org/5") });
        }
        var events = new List<FileEvent>();
        for (var run = 0; run < 2; run++)
        {
            events.Clear();
            var summary = await new Ingester(db) { OnFile = e => { lock (events) { events.Add(e); } } }.RunAsync([dir]);
            if (run == 0)
            {
                Assert.Equal(9, summary.New);
                Assert.Equal(1, summary.Rejected);
                var e = Assert.Single(events);
                Assert.EndsWith("a-05.md", e.Path, StringComparison.Ordinal);
                Assert.Contains("unique", e.Reason, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                // A later run neither aborts nor stumbles on it again.
                Assert.Equal(10, summary.Unchanged);
                Assert.Empty(events);
            }
        }
        using var r = db.OpenUnpooled();
        Assert.Equal(10, r.ExecuteScalar<long>("SELECT count(*) FROM articles"));
        // The index, built with the first run, holds the article already there too.
        Assert.Equal(10, IndexChecks.IndexedCount(r));
    }

    [Fact]
    public void A_path_is_read_only_if_its_open_handle_is_a_regular_file_under_the_cap()
    {
        using var temp = new TempFolder("seedfile");
        var dir = temp.Path;
        var good = Path.Combine(dir, "good.md");
        File.WriteAllText(good, "hello");
        Assert.Equal("hello"u8.ToArray(), SeedFile.Read(good, out _));

        var cases = new Dictionary<string, string>
        {
            ["fifo.md"] = "FIFO",
            ["zero-link.md"] = "link",
            ["dir.md"] = "directory",
            ["sparse.md"] = "too large",
        };
        Run("mkfifo", Path.Combine(dir, "fifo.md"));
        File.CreateSymbolicLink(Path.Combine(dir, "zero-link.md"), "/dev/zero");
        Directory.CreateDirectory(Path.Combine(dir, "dir.md"));
        using (var f = File.Create(Path.Combine(dir, "sparse.md")))
        {
            f.SetLength(SeedFile.MaxBytes + 1);
        }
        foreach (var (name, why) in cases)
        {
            var watch = Stopwatch.StartNew();
            Assert.Null(SeedFile.Read(Path.Combine(dir, name), out var reason));
            Assert.Contains(why, reason, StringComparison.Ordinal);
            Assert.True(watch.ElapsedMilliseconds < 1000, name);
        }
        Assert.Null(SeedFile.Read("/dev/zero", out var device));
        Assert.Contains("character device", device, StringComparison.Ordinal);

        // The walker saw a regular file; by the time it is read, it is a FIFO.
        File.Delete(good);
        Run("mkfifo", good);
        Assert.Null(SeedFile.Read(good, out var swapped));
        Assert.Contains("FIFO", swapped, StringComparison.Ordinal);
    }

    /// <summary>Files that are not regular files, beside the hostile corpus (the walker skips links; the reader refuses the rest).</summary>
    private static void AddSpecialFiles(string dir)
    {
        Run("mkfifo", Path.Combine(dir, "fifo.md"));
        File.CreateSymbolicLink(Path.Combine(dir, "dev-zero-link.md"), "/dev/zero");
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    /// <summary>File name without extension → reason, from the ingest's "status: path: reason" lines.</summary>
    private static Dictionary<string, string> Reported(string stderr)
    {
        var result = new Dictionary<string, string>();
        foreach (var line in stderr.Split('\n'))
        {
            foreach (var status in new[] { "rejected: ", "skipped: ", "stored with notes: " })
            {
                if (line.StartsWith(status, StringComparison.Ordinal) && line.IndexOf(".md: ", StringComparison.Ordinal) is > 0 and var end)
                {
                    result[Path.GetFileNameWithoutExtension(line[status.Length..(end + 3)])] = line[(end + 5)..].Trim();
                }
            }
        }
        return result;
    }
}
