namespace NewsArchive.Web.Model;

/// <summary>Configuration section "Archive".</summary>
public sealed class ArchiveOptions
{
    public string Database { get; set; } = "data/newsarchive.db";

    public string SeedsPath { get; set; } = "seeds";

    /// <summary>The time zone pages show times in (IANA id).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";
}

/// <summary>The output cache tag of everything that shows articles; evicted when an ingest changes them.</summary>
public static class ArchiveCache
{
    public const string Tag = "archive";
}
