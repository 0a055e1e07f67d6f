using System.Data.Common;
using Dapper;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Fixtures;

/// <summary>What a test reads of the search index itself, on either backend (FTS5's search_index, or PostgreSQL's search_chunks).</summary>
public static class IndexChecks
{
    /// <summary>A subquery of the sort keys the index holds, as column k.</summary>
    public static string IndexedKeys(DbConnection c) => c.IsPostgres() ? "SELECT DISTINCT sort_key AS k FROM search_chunks" : "SELECT rowid AS k FROM search_index";

    /// <summary>How many articles the index holds.</summary>
    public static long IndexedCount(DbConnection c) => c.ExecuteScalar<long>($"SELECT count(*) FROM ({IndexedKeys(c)}) AS k");

    /// <summary>How many articles match an index query, through the archive's own index as every search.</summary>
    public static long Matching(Database db, DbConnection c, IndexQuery q) => db.Index.Count(c, q, long.MinValue, long.MaxValue);

    /// <summary>SQLite's own integrity checks of both files (PostgreSQL checks its pages as it reads them).</summary>
    public static void AssertIntact(DbConnection c)
    {
        if (!c.IsPostgres())
        {
            Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA main.integrity_check"));
            Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA search.integrity_check"));
        }
    }
}
