using NewsArchive.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using NewsArchive.Tests.Hardening;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Media;

/// <summary>The queue in the database: it survives a SIGKILL mid-fetch, never fetches a URL twice, and the `media` command shows and requeues it.</summary>
public sealed class QueueTests
{
    [Fact]
    public async Task The_queue_survives_a_sigkill_in_the_middle_of_fetching_and_no_url_is_fetched_twice()
    {
        var dir = TestData.TempDir("media-kill");
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var routes = new Dictionary<string, RequestDelegate>
        {
            // Answers nothing until the test ends: the child is killed while it waits for this one.
            ["/hang.png"] = async ctx =>
            {
                hung.TrySetResult();
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            },
        };
        var paths = Enumerable.Range(0, 30).Select(i => $"/{i}.png").ToList();
        foreach (var p in paths)
        {
            routes[p] = async ctx =>
            {
                await Task.Delay(50);
                await Origin.Bytes(Images.Png, "image/png")(ctx);
            };
        }
        await using var origin = await Origin.StartAsync(routes);
        try
        {
            var db = TestBackend.At(Path.Combine(dir, "kill.db"));
            db.Migrate();
            var urls = paths.Take(5).Append("/hang.png").Concat(paths.Skip(5)).Select(p => origin.Url + p).ToList();
            using (var c = db.OpenArticles())
            {
                MediaStore.Enqueue(c, urls);
            }
            var env = new Dictionary<string, string>
            {
                ["Archive__Database"] = db.Path,
                ["Archive__SeedsPath"] = Directory.CreateDirectory(Path.Combine(dir, "no-seeds")).FullName,
                ["Archive__Media__Allow__0"] = origin.HostPort,
                ["Archive__Media__Fetch"] = "true",
                ["Archive__Media__PollMilliseconds"] = "100",
                ["Archive__Media__TimeoutSeconds"] = "60",
            };
            await using (await Hardening.Site.StartAsync(env))
            {
                await hung.Task.WaitAsync(TimeSpan.FromSeconds(60));
                // Others are in flight too: let a few more start before the kill.
                await Task.Delay(30);
            }
            long storedAtKill;
            using (var c = db.OpenUnpooled())
            {
                storedAtKill = MediaStore.CountByState(c).GetValueOrDefault("stored");
                Assert.True(MediaStore.All(c).Any(r => r.State == "fetching"), "the kill came while nothing was being fetched");
            }
            Assert.True(storedAtKill < urls.Count - 1, "everything was fetched before the kill");

            await using (await Hardening.Site.StartAsync(env))
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (true)
                {
                    using var c = db.OpenUnpooled();
                    if (MediaStore.All(c).All(r => r.State is "stored" or "failed"))
                    {
                        break;
                    }
                    Assert.True(DateTime.UtcNow < deadline, "the queue did not drain after the restart");
                    await Task.Delay(100);
                }
            }

            using (var c = db.OpenUnpooled())
            {
                var rows = MediaStore.All(c).ToDictionary(r => r.Url);
                var hang = rows[origin.Url + "/hang.png"];
                Assert.Equal("failed", hang.State);
                Assert.StartsWith("interrupted", hang.LastError);
                Assert.NotNull(hang.NextAttempt);
                foreach (var p in paths)
                {
                    var row = rows[origin.Url + p];
                    Assert.True(origin.Count(p) <= 1, $"{p} was fetched {origin.Count(p)} times");
                    // In flight at the kill: failed as interrupted, to be tried later; every other one stored.
                    Assert.True(row.State == "stored" || row.LastError?.StartsWith("interrupted", StringComparison.Ordinal) == true, $"{p}: {row.State} {row.LastError}");
                }
                Assert.Equal(1, origin.Count("/hang.png"));
                Assert.True(rows.Values.Count(r => r.State == "stored") > storedAtKill);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestData.TryDelete(dir);
        }
    }

    [Fact]
    public async Task Media_command_lists_failures_requeues_them_and_imports_a_local_dump()
    {
        var dir = TestData.TempDir("media-cmd");
        try
        {
            var db = TestBackend.At(Path.Combine(dir, "cmd.db"));
            db.Migrate();
            string[] urls = ["https://img.example/a/b.png?x=1", "https://img.example/c.gif", "https://other.example/d.webp", "https://img.example/page.jpg"];
            using (var c = db.OpenArticles())
            {
                MediaStore.Enqueue(c, urls);
                var claim = MediaStore.ClaimNext(c)!;
                MediaStore.MarkFailed(c, claim.Id, "HTTP 404 Not Found", null);
            }

            var shown = await Child.RunAsync(["media", "--db", db.Path], TimeSpan.FromSeconds(60));
            Assert.Equal(0, shown.ExitCode);
            Assert.Contains("3 queued, 0 fetching, 0 stored, 1 failed", shown.Stdout);
            Assert.Contains("failed: https://img.example/a/b.png?x=1: HTTP 404 Not Found (1 attempts, waits for --retry)", shown.Stdout);

            var retried = await Child.RunAsync(["media", "--retry", "--db", db.Path], TimeSpan.FromSeconds(60));
            Assert.Contains("requeued 1 failed images", retried.Stdout);
            Assert.Contains("4 queued, 0 fetching, 0 stored, 0 failed", retried.Stdout);

            // A wget -x layout (host/path), a file named by the escaped URL, and an HTML page named .jpg.
            var dump = Directory.CreateDirectory(Path.Combine(dir, "dump")).FullName;
            Directory.CreateDirectory(Path.Combine(dump, "img.example", "a"));
            File.WriteAllBytes(Path.Combine(dump, "img.example", "a", "b.png?x=1"), Images.Png);
            File.WriteAllBytes(Path.Combine(dump, Uri.EscapeDataString("https://img.example/c.gif")), Images.Gif);
            Directory.CreateDirectory(Path.Combine(dump, "img.example"));
            File.WriteAllText(Path.Combine(dump, "img.example", "page.jpg"), "<html><body>gone</body></html>");
            var imported = await Child.RunAsync(["media", "import", dump, "--db", db.Path], TimeSpan.FromSeconds(60));
            Assert.Contains("imported 2 images, 1 files not images, 1 not in the dump", imported.Stdout);
            Assert.Equal(3, imported.ExitCode);

            // An index maps a URL to any file.
            var index = Path.Combine(dir, "index.tsv");
            File.WriteAllBytes(Path.Combine(dump, "picture-17"), Images.WebP);
            File.WriteAllText(index, "https://other.example/d.webp\tpicture-17\n");
            var indexed = await Child.RunAsync(["media", "import", dump, "--index", index, "--db", db.Path], TimeSpan.FromSeconds(60));
            Assert.Equal(0, indexed.ExitCode);
            Assert.Contains("imported 1 images", indexed.Stdout);

            using var r = db.OpenUnpooled();
            var rows = MediaStore.All(r).ToDictionary(x => x.Url);
            Assert.Equal("image/png", rows[urls[0]].ContentType);
            Assert.Equal("image/gif", rows[urls[1]].ContentType);
            Assert.Equal("image/webp", rows[urls[2]].ContentType);
            Assert.Equal("queued", rows[urls[3]].State);
            Assert.Equal(Images.WebP, File.ReadAllBytes(MediaBlobs.PathOf(db, rows[urls[2]].Hash!)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestData.TryDelete(dir);
        }
    }
}
