using System.Data.Common;
using Dapper;

namespace NewsArchive.Web.Storage;

public sealed record Takedown(string Permalink, string Url, string SourcePath, string? Reason, long TakenAt);

/// <summary>
/// The takedowns table. Its triggers (migration 0006) do the removal: inserting a row deletes the
/// article and queues its index removal; while the row exists an ingest cannot store it again.
/// </summary>
public static class TakedownStore
{
    private const string Columns = "permalink AS Permalink, url AS Url, source_path AS SourcePath, reason AS Reason, taken_at AS TakenAt";

    public static void Add(DbConnection c, Takedown t, DbTransaction tx) =>
        c.Execute("INSERT INTO takedowns (permalink, url, source_path, reason, taken_at) VALUES (@Permalink, @Url, @SourcePath, @Reason, @TakenAt)", t, tx);

    /// <summary>The takedown of this permalink or original URL, if any.</summary>
    public static Takedown? Find(DbConnection c, string permalinkOrUrl, DbTransaction? tx = null) =>
        c.QuerySingleOrDefault<Takedown>($"SELECT {Columns} FROM takedowns WHERE permalink = @k OR url = @k", new { k = permalinkOrUrl }, tx);

    public static void Remove(DbConnection c, string permalink, DbTransaction tx) =>
        c.Execute("DELETE FROM takedowns WHERE permalink = @permalink", new { permalink }, tx);

    public static List<Takedown> All(DbConnection c) =>
        c.Query<Takedown>($"SELECT {Columns} FROM takedowns ORDER BY taken_at DESC").AsList();
}
