using System.Data.Common;
using Dapper;

namespace NewsArchive.Web.Storage;

/// <summary>index_state: which archive the search index is of, and the last index_queue entry it applied. The same table on both backends.</summary>
public static class IndexStateStore
{
    public sealed class State
    {
        public string? ArchiveId { get; init; }
        public long AppliedSeq { get; init; }
    }

    public static State Get(DbConnection c, DbTransaction? tx = null) =>
        c.QuerySingle<State>("SELECT archive_id AS ArchiveId, applied_seq AS AppliedSeq FROM index_state WHERE id = 1", transaction: tx);

    public static void SetApplied(DbConnection c, long seq, DbTransaction tx) =>
        c.Execute("UPDATE index_state SET applied_seq = @seq WHERE id = 1", new { seq }, tx);

    /// <summary>The index as this archive's, caught up to appliedSeq (by an implementation's Reset, which empties it).</summary>
    public static void Own(DbConnection c, string archiveId, long appliedSeq, DbTransaction tx) =>
        c.Execute("UPDATE index_state SET archive_id = @archiveId, applied_seq = @appliedSeq WHERE id = 1", new { archiveId, appliedSeq }, tx);

    /// <summary>
    /// The index's version on a reader connection (on SQLite the index file is its schema "search"):
    /// the last queue entry it applied; any change to the index makes a new one.
    /// </summary>
    public static long Version(DbConnection c) =>
        c.ExecuteScalar<long>($"SELECT applied_seq FROM {c.Pick("search.", "")}index_state WHERE id = 1");
}
