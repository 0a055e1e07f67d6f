using System.Diagnostics;

namespace NewsArchive.Tests;

/// <summary>
/// Where the tests find real data: the repo's sample articles (seeds/sample) and, beside the clone, ../shared (the dev
/// corpus and the search evaluation). Under CI=true missing shared data is a failure; elsewhere
/// the tests that need it are skipped with a message saying how to get it.
/// </summary>
public static class TestData
{
    public static readonly string RepoRoot = FindRepoRoot();

    public static readonly string Seeds = Path.Combine(RepoRoot, "seeds", "sample");

    public static readonly string Shared = Environment.GetEnvironmentVariable("NEWSARCHIVE_SHARED")
        ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static readonly string CorpusArchive = Path.Combine(Shared, "corpus", "waimei-dev.tar.xz");

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public const string HowToGetShared =
        "needs ../shared beside the clone (shared/corpus/waimei-dev.tar.xz and shared/eval) or NEWSARCHIVE_SHARED=<folder>";

    public static bool CorpusAvailable => File.Exists(CorpusArchive);

    private static readonly Lazy<string> Unpacked = new(UnpackCorpus);

    /// <summary>The dev corpus, unpacked once per test run into a temporary folder.</summary>
    public static string DevCorpus => Unpacked.Value;

    private static string UnpackCorpus()
    {
        if (!CorpusAvailable)
        {
            throw new InvalidOperationException($"dev corpus missing at {CorpusArchive}: {HowToGetShared}");
        }
        var dir = Path.Combine(Path.GetTempPath(), $"newsarchive-dev-{Environment.ProcessId}");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, true);
        }
        Directory.CreateDirectory(dir);
        var tar = Process.Start(new ProcessStartInfo("tar", ["-xJf", CorpusArchive, "-C", dir]) { RedirectStandardError = true })!;
        var err = tar.StandardError.ReadToEnd();
        tar.WaitForExit();
        if (tar.ExitCode != 0)
        {
            throw new InvalidOperationException($"tar failed: {err}");
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(dir);
        return dir;
    }

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"newsarchive-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "NewsArchive.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("NewsArchive.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact over the dev corpus: skipped without it, except under CI=true where it must run.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (!TestData.CorpusAvailable && !TestData.IsCi)
        {
            Skip = "dev corpus not found: " + TestData.HowToGetShared;
        }
    }
}

/// <summary>A theory over the dev corpus: skipped without it, except under CI=true.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        if (!TestData.CorpusAvailable && !TestData.IsCi)
        {
            Skip = "dev corpus not found: " + TestData.HowToGetShared;
        }
    }
}
