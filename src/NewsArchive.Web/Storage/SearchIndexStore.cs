using Dapper;
using Microsoft.Data.Sqlite;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Search;

namespace NewsArchive.Web.Storage;

/// <summary>The search_index FTS5 table; its rowid is the article's sort_key.</summary>
public static class SearchIndexStore
{
    public static void Put(SqliteConnection c, long sortKey, Article a, SqliteTransaction tx) =>
        c.Execute("""
            INSERT INTO search_index (rowid, title_words, title_grams, title_chars, body_words, body_grams, body_chars, facets)
            VALUES (@sortKey, @tw, @tg, @tc, @bw, @bg, @bc, @facets)
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
                facets = Facets.LanguageToken(a.Language) + " " + Facets.SourceToken(a.Source),
            }, tx);

    public static void Delete(SqliteConnection c, long sortKey, SqliteTransaction tx) =>
        c.Execute("DELETE FROM search_index WHERE rowid = @sortKey", new { sortKey }, tx);

}
