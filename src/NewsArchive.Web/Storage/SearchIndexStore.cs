using Dapper;
using Microsoft.Data.Sqlite;
using NewsArchive.Web.Search;

namespace NewsArchive.Web.Storage;

/// <summary>The index file: the search_index FTS5 table (rowid = the article's sort_key) and index_state.</summary>
public static class SearchIndexStore
{
    public sealed class State
    {
        public string? ArchiveId { get; init; }
        public long AppliedSeq { get; init; }
    }

    public static State GetState(SqliteConnection c, SqliteTransaction? tx = null) =>
        c.QuerySingle<State>("SELECT archive_id AS ArchiveId, applied_seq AS AppliedSeq FROM index_state WHERE id = 1", transaction: tx);

    public static void SetApplied(SqliteConnection c, long seq, SqliteTransaction tx) =>
        c.Execute("UPDATE index_state SET applied_seq = @seq WHERE id = 1", new { seq }, tx);

    /// <summary>Empties the index and marks it as this archive's, caught up to appliedSeq.</summary>
    public static void Reset(SqliteConnection c, string archiveId, long appliedSeq, SqliteTransaction tx)
    {
        c.Execute("INSERT INTO search_index (search_index) VALUES ('delete-all')", transaction: tx);
        c.Execute("UPDATE index_state SET archive_id = @archiveId, applied_seq = @appliedSeq WHERE id = 1", new { archiveId, appliedSeq }, tx);
    }

    public static void Put(SqliteConnection c, long sortKey, IndexDocument d, SqliteTransaction tx) =>
        c.Execute("""
            INSERT INTO search_index (rowid, title_words, title_grams, title_chars, body_words, body_grams, body_chars, facets)
            VALUES (@sortKey, @tw, @tg, @tc, @bw, @bg, @bc, @facets)
            """,
            new
            {
                sortKey,
                tw = d.Title.Words,
                tg = d.Title.Grams,
                tc = d.Title.Unigrams,
                bw = d.Body.Words,
                bg = d.Body.Grams,
                bc = d.Body.Unigrams,
                facets = d.FacetTokens,
            }, tx);

    public static void Delete(SqliteConnection c, long sortKey, SqliteTransaction tx) =>
        c.Execute("DELETE FROM search_index WHERE rowid = @sortKey", new { sortKey }, tx);
}
