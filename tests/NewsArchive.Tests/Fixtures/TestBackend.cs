using System.Collections.Concurrent;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Fixtures;

/// <summary>
/// The backend the suite runs on: SQLite by default; PostgreSQL with
/// <c>NEWSARCHIVE_TEST_BACKEND=postgres</c> (what CI's second run sets). A test names its archive
/// by a file path either way; on PostgreSQL each path gets a database of its own on the run's
/// server (<see cref="PostgresServer"/>), the same one every time the path is named, so a test
/// that reopens an archive, or hands it to the app or to a child process, finds the same data.
/// </summary>
public static class TestBackend
{
    public static readonly bool IsPostgres =
        string.Equals(Environment.GetEnvironmentVariable("NEWSARCHIVE_TEST_BACKEND"), "postgres", StringComparison.OrdinalIgnoreCase);

    private static readonly ConcurrentDictionary<string, Lazy<string>> Databases = new();

    /// <summary>The PostgreSQL connection string of the archive at this path; null on the SQLite run.</summary>
    public static string? ConnectionFor(string path) => IsPostgres
        ? Databases.GetOrAdd(Path.GetFullPath(path), _ => new Lazy<string>(() => PostgresServer.NewDatabase())).Value
        : null;

    /// <summary>The archive at this path, on the run's backend.</summary>
    public static Database At(string path) => new(path, ConnectionFor(path));
}

/// <summary>A fact about the SQLite files themselves (their pages, the attached index file, a file copy): skipped on the PostgreSQL run.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute(string why)
    {
        if (TestBackend.IsPostgres)
        {
            Skip = "SQLite only: " + why;
        }
    }
}

/// <summary>A theory over the dev corpus about SQLite itself (FTS5's functions): skipped on the PostgreSQL run.</summary>
public sealed class SqliteCorpusTheoryAttribute : TheoryAttribute
{
    public SqliteCorpusTheoryAttribute(string why)
    {
        if (TestBackend.IsPostgres)
        {
            Skip = "SQLite only: " + why;
        }
        else if (!TestData.CorpusAvailable && !TestData.IsCi)
        {
            Skip = "dev corpus not found: " + TestData.HowToGetShared;
        }
    }
}
