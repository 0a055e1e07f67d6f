using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests;

/// <summary>The dev corpus ingested once into a temporary database, shared by the tests that read it.</summary>
public sealed class DevCorpusDb : IDisposable
{
    private readonly string _dir = TestData.TempDir("devdb");
    private readonly Lazy<(Database Db, IngestSummary Summary)> _ingested;

    public DevCorpusDb()
    {
        _ingested = new(() =>
        {
            var db = new Database(Path.Combine(_dir, "dev.db"));
            db.Migrate();
            var summary = new Ingester(db).RunAsync([TestData.DevCorpus]).GetAwaiter().GetResult();
            return (db, summary);
        });
    }

    public Database Db => _ingested.Value.Db;

    public IngestSummary FirstRun => _ingested.Value.Summary;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestData.TryDelete(_dir);
    }
}

[CollectionDefinition(Name)]
public sealed class DevCorpusCollection : ICollectionFixture<DevCorpusDb>
{
    public const string Name = "dev corpus database";
}
