using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests;

/// <summary>The dev corpus ingested once into a temporary database, shared by the tests that read it.</summary>
public sealed class DevCorpusDb : IDisposable
{
    private readonly TempFolder _dir = new("devdb");
    private readonly Lazy<(Database Db, IngestSummary Summary)> _ingested;

    public DevCorpusDb()
    {
        _ingested = new(() =>
        {
            var db = TestBackend.At(_dir.File("dev.db"));
            db.Migrate();
            var summary = new Ingester(db).RunAsync([TestData.DevCorpus]).GetAwaiter().GetResult();
            return (db, summary);
        });
    }

    public Database Db => _ingested.Value.Db;

    public IngestSummary FirstRun => _ingested.Value.Summary;

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DevCorpusCollection : ICollectionFixture<DevCorpusDb>
{
    public const string Name = "dev corpus database";
}
