using System.Data.Common;
using System.Text.Json;
using Dapper;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>The outlets table, and the outlet and byline columns of articles (Migrations/0011_outlets.sql).</summary>
public static class OutletStore
{
    /// <summary>Inserts or updates outlets (their names and hosts as the table says now).</summary>
    public static void Put(DbConnection c, IEnumerable<Outlet> outlets, DbTransaction tx) =>
        c.Execute("""
            INSERT INTO outlets (id, name_hans, name_hant, name_en, home_host, hosts, aliases)
            VALUES (@Id, @NameHans, @NameHant, @NameEn, @HomeHost, @hosts, @aliases)
            ON CONFLICT (id) DO UPDATE SET name_hans = excluded.name_hans, name_hant = excluded.name_hant,
                name_en = excluded.name_en, home_host = excluded.home_host, hosts = excluded.hosts, aliases = excluded.aliases
            """,
            outlets.Select(o => new
            {
                o.Id,
                o.NameHans,
                o.NameHant,
                o.NameEn,
                o.HomeHost,
                hosts = JsonSerializer.Serialize(o.Hosts),
                aliases = JsonSerializer.Serialize(o.Aliases),
            }), tx);

    private sealed class OutletRow
    {
        public string Id { get; init; } = "";
        public string NameHans { get; init; } = "";
        public string NameHant { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string Hosts { get; init; } = "[]";
        public string Aliases { get; init; } = "[]";
    }

    /// <summary>Every outlet the archive has recorded, by id.</summary>
    public static Dictionary<string, Outlet> All(DbConnection c) =>
        c.Query<OutletRow>("SELECT id AS Id, name_hans AS NameHans, name_hant AS NameHant, name_en AS NameEn, hosts AS Hosts, aliases AS Aliases FROM outlets")
            .Select(r => new Outlet(r.Id, r.NameHans, r.NameHant, r.NameEn,
                JsonSerializer.Deserialize<string[]>(r.Hosts) ?? [], JsonSerializer.Deserialize<string[]>(r.Aliases) ?? []))
            .ToDictionary(o => o.Id, StringComparer.Ordinal);

    /// <summary>Which outlet table and rule derived the stored outlets (null: none yet).</summary>
    public static string? Fingerprint(DbConnection c) =>
        c.ExecuteScalar<string?>("SELECT outlets_fingerprint FROM archive_info WHERE id = 1");

    public static void SetFingerprint(DbConnection c, string fingerprint, DbTransaction tx) =>
        c.Execute("UPDATE archive_info SET outlets_fingerprint = @fingerprint WHERE id = 1", new { fingerprint }, tx);

    /// <summary>A stored article as the outlet rule reads it.</summary>
    public sealed record Derivable(long Id, long SortKey, string Url, string Source, string Outlet, string? Byline);

    /// <summary>The next articles by id after <paramref name="after"/>.</summary>
    public static List<Derivable> Articles(DbConnection c, long after, int limit, DbTransaction tx) =>
        c.Query<Derivable>(
            "SELECT id AS Id, sort_key AS SortKey, url AS Url, source AS Source, outlet AS Outlet, byline AS Byline FROM articles WHERE id > @after ORDER BY id LIMIT @limit",
            new { after, limit }, tx).AsList();

    public static void Assign(DbConnection c, long id, string outlet, string? byline, DbTransaction tx) =>
        c.Execute("UPDATE articles SET outlet = @outlet, byline = @byline WHERE id = @id", new { id, outlet, byline }, tx);

    public sealed class OutletCount
    {
        public string Outlet { get; init; } = "";
        public long Count { get; init; }
        public long? First { get; init; }
        public long? Newest { get; init; }
    }

    /// <summary>Each outlet's articles: how many, the first and the newest date; most articles first.</summary>
    public static List<OutletCount> Counts(DbConnection c) =>
        c.Query<OutletCount>(
            "SELECT outlet AS Outlet, count(*) AS Count, min(published) AS First, max(published) AS Newest FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet").AsList();

    /// <summary>The outlet most articles read under this source name went to (an old ?source=&lt;name&gt; link); null if none.</summary>
    public static string? OfSource(DbConnection c, string source) =>
        c.ExecuteScalar<string?>(
            $"SELECT outlet FROM articles {c.Pick("INDEXED BY articles_by_title", "")} WHERE source = @source GROUP BY outlet ORDER BY count(*) DESC, outlet LIMIT 1",
            new { source });
}
