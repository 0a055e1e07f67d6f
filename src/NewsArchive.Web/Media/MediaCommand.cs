using System.Security.Cryptography;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Media;

/// <summary>
/// <c>media [--retry] [--db PATH]</c>: the queue by state and the failures with their reasons;
/// <c>--retry</c> requeues the failures. <c>media import &lt;DIR&gt; [--index FILE] [--db PATH]</c>:
/// stores images from a local dump instead of the network.
/// </summary>
public static class MediaCommand
{
    private const string UsageText = "usage: media [--retry] [--db PATH]\n       media import <DIR> [--index FILE] [--db PATH]";
    private const int ShownFailures = 50;

    public static int Run(string[] args, ArchiveOptions settings)
    {
        var dbPath = settings.Database;
        string? index = null;
        var retry = false;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--db" when i + 1 < args.Length:
                    dbPath = args[++i];
                    break;
                case "--index" when i + 1 < args.Length:
                    index = args[++i];
                    break;
                case "--retry":
                    retry = true;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(UsageText);
                    return 0;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    Console.Error.WriteLine($"unknown option: {a}\n{UsageText}");
                    return 2;
                default:
                    positional.Add(args[i]);
                    break;
            }
        }
        var importing = positional is ["import", _];
        if ((!importing && positional.Count > 0) || (importing && retry) || (!importing && index is not null))
        {
            Console.Error.WriteLine(UsageText);
            return 2;
        }
        var db = new Database(dbPath, settings.Postgres, settings.PostgresRead, rum: settings.PostgresRum);
        db.Migrate();
        return importing ? Import(db, positional[1], index) : Show(db, retry);
    }

    private static int Show(Database db, bool retry)
    {
        using var c = db.OpenArticles();
        if (retry)
        {
            Console.WriteLine($"requeued {MediaStore.RetryFailed(c)} failed images");
        }
        var counts = MediaStore.CountByState(c);
        Console.WriteLine($"media of {db.Location}: " + string.Join(", ",
            new[] { "queued", "fetching", "stored", "failed" }.Select(s => $"{counts.GetValueOrDefault(s)} {s}")));
        var failures = MediaStore.Failures(c, ShownFailures);
        foreach (var f in failures)
        {
            var next = f.NextAttempt is { } ms ? "tried again after " + DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("u") : "waits for --retry";
            Console.WriteLine($"failed: {f.Url}: {f.LastError} ({f.Attempts} attempts, {next})");
        }
        if (counts.GetValueOrDefault("failed") > failures.Count)
        {
            Console.WriteLine($"… and {counts["failed"] - failures.Count} more failures");
        }
        return 0;
    }

    private static int Import(Database db, string dir, string? index)
    {
        if (!Directory.Exists(dir) || (index is not null && !File.Exists(index)))
        {
            Console.Error.WriteLine($"no such folder or index: {(Directory.Exists(dir) ? index : dir)}");
            return 2;
        }
        var root = Path.GetFullPath(dir);
        using var c = db.OpenArticles();
        var candidates = index is not null ? FromIndex(index) : MediaStore.Missing(c).Select(u => (u, NamedFiles(u))).ToList();
        int stored = 0, refused = 0, missing = 0;
        foreach (var (url, files) in candidates)
        {
            var file = files.Select(f => Path.GetFullPath(f, root)).FirstOrDefault(f => f.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(f));
            if (file is null)
            {
                missing++;
                continue;
            }
            var bytes = File.ReadAllBytes(file);
            if (ImageType.Sniff(bytes) is not { } type)
            {
                Console.Error.WriteLine($"not an image: {file}: {ImageType.Describe(bytes)}");
                refused++;
                continue;
            }
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            MediaBlobs.Write(db, hash, bytes);
            if (MediaStore.PutStored(c, url, hash, type, bytes.Length))
            {
                stored++;
            }
        }
        Console.WriteLine($"imported {stored} images, {refused} files not images, {missing} not in the dump");
        return refused > 0 ? 3 : 0;
    }

    /// <summary>An index: one <c>URL FILE</c> per line (tab or space), the file relative to the dump.</summary>
    private static List<(string Url, string[] Files)> FromIndex(string index) => File.ReadLines(index)
        .Select(l => l.Trim().Split(['\t', ' '], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Where(p => p.Length == 2 && MediaHtml.Key(p[0]) is not null)
        .Select(p => (MediaHtml.Key(p[0])!, new[] { p[1] }))
        .ToList();

    /// <summary>Where a dump names a URL's file: the escaped URL as one name, or host/path as wget -x writes it.</summary>
    private static string[] NamedFiles(string url)
    {
        var u = new Uri(url);
        var path = Uri.UnescapeDataString(u.AbsolutePath).TrimStart('/');
        return [Uri.EscapeDataString(url), Path.Combine(u.Host, path + Uri.UnescapeDataString(u.Query)), Path.Combine(u.Host, path)];
    }
}
