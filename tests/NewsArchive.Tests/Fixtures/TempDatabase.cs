using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Fixtures;

/// <summary>
/// A migrated archive in a temporary folder, with a seeds folder beside it for the test's files;
/// everything is deleted on dispose. <c>using var t = new TempDatabase();</c> replaces try/finally.
/// </summary>
public sealed class TempDatabase : IDisposable
{
    private readonly TempFolder _folder;

    public TempDatabase(string name = "db")
    {
        _folder = new TempFolder(name);
        Seeds = _folder.Folder("seeds");
        Db = TestBackend.At(_folder.File("archive.db"));
        Db.Migrate();
    }

    public Database Db { get; }

    /// <summary>The articles file; the index file is beside it.</summary>
    public string Path => Db.Path;

    /// <summary>An empty folder for seed files (see <see cref="SeedWriter"/>).</summary>
    public string Seeds { get; }

    public void Dispose() => _folder.Dispose();
}
