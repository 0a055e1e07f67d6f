using System.Data.Common;
using Dapper;

namespace NewsArchive.Web.Storage;

/// <summary>The story threads: articles.story_id and the weights threading uses (story_weights).</summary>
public static partial class StoryStore
{
    /// <summary>A dated article as threading reads it: the title and the start of the text, where the lead is.</summary>
    public sealed record Row(long Id, long Published, string Outlet, string Title, string Text, long? StoryId);

    /// <summary>The dated articles published in [from, to] (Unix ms), by the sort_key index.</summary>
    public static IEnumerable<Row> Dated(DbConnection c, long from, long to, int textPrefix) =>
        c.Query<Row>("""
            SELECT id AS Id, published AS Published, outlet AS Outlet, title AS Title, substr(text, 1, @textPrefix) AS Text, story_id AS StoryId
            FROM articles WHERE sort_key BETWEEN @lo AND @hi AND published BETWEEN @from AND @to
            """,
            // A second with more articles than slots takes the next seconds' keys: an hour of them is room enough.
            new { from, to, textPrefix, lo = Math.Max(from, 0) / 1000 << Model.SortKeys.SlotBits, hi = ((to / 1000) + 3600) << Model.SortKeys.SlotBits },
            buffered: false);

    /// <summary>The first and last dates of the archive's articles (Unix ms); null when none is dated.</summary>
    public static (long First, long Last)? DateRange(DbConnection c) =>
        c.QuerySingle<(long?, long?)>("SELECT min(published), max(published) FROM articles") is (long first, long last) ? (first, last) : null;

    public static long DatedCount(DbConnection c) =>
        c.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE published IS NOT NULL");

    /// <summary>The dates of every dated article, in order (a rebuild's parts).</summary>
    public static List<long> DatedTimes(DbConnection c) =>
        c.Query<long>("SELECT published FROM articles WHERE published IS NOT NULL ORDER BY published").AsList();

    /// <summary>The dates of the dated articles threading has not seen, in order.</summary>
    public static List<long> Unthreaded(DbConnection c) =>
        c.Query<long>("SELECT published FROM articles WHERE story_id IS NULL AND published IS NOT NULL ORDER BY published").AsList();

    /// <summary>An undated article is never threaded: it is its own thread.</summary>
    public static void ThreadUndated(DbConnection c) =>
        c.Execute("UPDATE articles SET story_id = id WHERE story_id IS NULL AND published IS NULL");

    /// <summary>
    /// Before an article is deleted or stored anew: its thread's articles are threaded again (by the
    /// next threading: Ingest/StoryThreading), so none keeps a gone article's id or a link it no longer has.
    /// </summary>
    public static void Unthread(DbConnection c, long articleId, DbTransaction tx) =>
        c.Execute("UPDATE articles SET story_id = NULL WHERE story_id = (SELECT story_id FROM articles WHERE id = @articleId)", new { articleId }, tx);

    /// <summary>Sets an article's thread (a statement prepared once per batch: a rebuild sets every article's).</summary>
    public static void Set(IngestBatch b, long id, long storyId) =>
        b.Execute("UPDATE articles SET story_id = @storyId WHERE id = @id", Arg.Of("id", id), Arg.Of("storyId", storyId));

    public static (int Articles, byte[] Terms)? Weights(DbConnection c) =>
        c.QuerySingleOrDefault<(int, byte[])?>("SELECT articles, terms FROM story_weights WHERE id = 1");

    public static void SetWeights(DbConnection c, int articles, byte[] terms) =>
        c.Execute("""
            INSERT INTO story_weights (id, articles, terms) VALUES (1, @articles, @terms)
            ON CONFLICT (id) DO UPDATE SET articles = excluded.articles, terms = excluded.terms
            """, new { articles, terms });
}
