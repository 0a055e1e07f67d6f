namespace NewsArchive.Web.Model;

/// <summary>Configuration section "Archive".</summary>
public sealed class ArchiveOptions
{
    public const string DefaultDatabase = "data/newsarchive.db";

    /// <summary>The two sample articles, ingested into the default database only.</summary>
    public const string SampleSeeds = "seeds/sample";

    public string Database { get; set; } = DefaultDatabase;

    /// <summary>The folder ingested at start-up and watched; empty, the sample for the default database and none for any other.</summary>
    public string SeedsPath { get; set; } = "";

    /// <summary>An Npgsql connection string: the archive is in that PostgreSQL database instead of the SQLite file (docs/scale-out.md).</summary>
    public string? Postgres { get; set; }

    /// <summary>Where reads go on PostgreSQL (a streaming replica); the primary when empty.</summary>
    public string? PostgresRead { get; set; }

    /// <summary>On PostgreSQL, the search index under RUM when the server has postgresql-15-rum (docs/scale-out.md); false keeps GIN.</summary>
    public bool PostgresRum { get; set; } = true;

    /// <summary>Whether this node ingests (start-up ingest and the watcher); false on every web node but one.</summary>
    public bool Ingest { get; set; } = true;

    /// <summary>The time zone pages show times in (IANA id).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>An outlet table (the shape of Model/outlets.json) over the shipped one (docs/outlets.md).</summary>
    public string? OutletsFile { get; set; }

    /// <summary>Outlets over the shipped table and <see cref="OutletsFile"/>: an entry with a known id changes that outlet.</summary>
    public List<OutletEntry> Outlets { get; set; } = [];

    /// <summary>Groups of spellings of one name over the shipped table (Model/transliterations.json): the first is the one counted.</summary>
    public List<List<string>> Transliterations { get; set; } = [];

    /// <summary>The outlet table these settings make.</summary>
    public OutletTable OutletTable() => Model.OutletTable.Load(OutletsFile, Outlets);
}

/// <summary>The output cache tag of everything that shows articles; evicted when an ingest changes them.</summary>
public static class ArchiveCache
{
    public const string Tag = "archive";
}
