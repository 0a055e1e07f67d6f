using Dapper;
using Microsoft.Data.Sqlite;
using NewsArchive.Web.Reader;

namespace NewsArchive.Web.Storage;

/// <summary>The search_index FTS5 table; its rowid is the article's sort_key.</summary>
public static class SearchIndexStore
{
    public static void Put(SqliteConnection c, long sortKey, Article a, SqliteTransaction tx) =>
        c.Execute("""
            INSERT INTO search_index (rowid, title_words, title_grams, title_chars, body_words, body_grams, body_chars)
            VALUES (@sortKey, @tw, @tg, @tc, @bw, @bg, @bc)
            """,
            new
            {
                sortKey,
                tw = a.TitleTokens.Words,
                tg = a.TitleTokens.Grams,
                tc = a.TitleTokens.Unigrams,
                bw = a.BodyTokens.Words,
                bg = a.BodyTokens.Grams,
                bc = a.BodyTokens.Unigrams,
            }, tx);

    public static void Delete(SqliteConnection c, long sortKey, SqliteTransaction tx) =>
        c.Execute("DELETE FROM search_index WHERE rowid = @sortKey", new { sortKey }, tx);

    /// <summary>Merges index segments after a bulk load, so queries read fewer b-trees.</summary>
    public static void Optimize(SqliteConnection c) =>
        c.Execute("INSERT INTO search_index (search_index) VALUES ('optimize')");
}
