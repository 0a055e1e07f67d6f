namespace NewsArchive.Tests.Fixtures;

/// <summary>A fresh folder under the system temp folder, deleted (with its SQLite pools cleared) on dispose.</summary>
public sealed class TempFolder(string name = "tmp") : IDisposable
{
    public string Path { get; } = TestData.TempDir(name);

    /// <summary>A path inside the folder (not created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A sub-folder, created.</summary>
    public string Folder(string name) => Directory.CreateDirectory(File(name)).FullName;

    public void Dispose()
    {
        // Pooled connections keep the files open; the folder would stay behind.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestData.TryDelete(Path);
    }
}
