using System.Data.Common;
using Dapper;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>The reading side of the story threads: a thread's articles and the threads of a period told by the most outlets.</summary>
public static partial class StoryStore
{
    /// <summary>The thread of an article as read: its id (the permalink of its smallest article id), its outlets with their article counts, and its first articles.</summary>
    public sealed record ThreadRows(string Id, List<(string Outlet, long Articles)> Outlets, List<ArticleRow> Articles);

    /// <summary>
    /// The thread of the article at a permalink (itself included): its id from the article's story_id,
    /// its outlets in the order of their first article with their counts, and its first
    /// <paramref name="limit"/> articles, oldest first; null for no such article or one not yet threaded.
    /// By the permalink, primary key and articles_by_story indexes: the rows of the first articles only, however long the thread.
    /// </summary>
    public static ThreadRows? ThreadOf(DbConnection c, string permalink, int limit)
    {
        if (c.QuerySingleOrDefault<(long Story, string Id)?>("""
            SELECT s.id, s.permalink FROM articles a JOIN articles s ON s.id = a.story_id WHERE a.permalink = @permalink
            """, new { permalink }) is not { } head)
        {
            return null;
        }
        var story = head.Story;
        var outlets = c.Query<(string, long)>(
            "SELECT outlet, count(*) FROM articles WHERE story_id = @story GROUP BY outlet ORDER BY min(sort_key), outlet", new { story }).AsList();
        var articles = c.Query<ArticleRow>(
            $"SELECT {ArticleStore.SummaryColumns} FROM articles WHERE story_id = @story ORDER BY sort_key LIMIT @limit", new { story, limit }).AsList();
        return new ThreadRows(head.Id, outlets, articles);
    }

    /// <summary>A thread of a period: its first article (the headline), its id (the permalink of its smallest article id) and its counts.</summary>
    public sealed class TopStory
    {
        public ArticleRow Lead { get; set; } = new();
        public string Story { get; init; } = "";
        public long Outlets { get; init; }
        public long Articles { get; init; }
    }

    private static readonly string LeadColumns = string.Join(", ", ArticleStore.SummaryColumns.Split(", ").Select(column => "h." + column));

    /// <summary>
    /// The threads of two or more articles with an article in [min, max] (sort keys, inclusive), told
    /// by the most outlets first, then the most articles, then the newest. One statement: the period's
    /// rows by the sort_key index, their threads' rows by the articles_by_story index.
    /// </summary>
    public static List<TopStory> Top(DbConnection c, long min, long max, int limit) =>
        c.Query<ArticleRow, TopStory, TopStory>($"""
            SELECT {LeadColumns}, f.permalink AS Story, t.outlets AS Outlets, t.articles AS Articles
            FROM (SELECT s.story_id, count(DISTINCT a.outlet) AS outlets, count(*) AS articles, min(a.id) AS first_id, max(a.sort_key) AS last_key,
                         (SELECT l.id FROM articles l WHERE l.story_id = s.story_id ORDER BY l.sort_key LIMIT 1) AS lead_id
                  FROM (SELECT DISTINCT story_id FROM articles WHERE sort_key BETWEEN @min AND @max AND story_id IS NOT NULL) s
                  JOIN articles a ON a.story_id = s.story_id
                  GROUP BY s.story_id HAVING count(*) > 1) t
            JOIN articles h ON h.id = t.lead_id
            JOIN articles f ON f.id = t.first_id
            ORDER BY t.outlets DESC, t.articles DESC, t.last_key DESC LIMIT @limit
            """,
            (lead, top) =>
            {
                top.Lead = lead;
                return top;
            },
            new { min, max, limit }, splitOn: "Story").AsList();

    /// <summary>Threads of two or more articles there are (each a /story/ page): by the articles_by_story index.</summary>
    public static long ThreadCount(DbConnection c) =>
        c.ExecuteScalar<long>("SELECT count(*) FROM (SELECT story_id FROM articles WHERE story_id IS NOT NULL GROUP BY story_id HAVING count(*) > 1) t");

    /// <summary>A page of the threads of two or more articles, the latest first: each one's id and its last article's sort key.</summary>
    public static List<(string Id, long LastKey)> ThreadPage(DbConnection c, int offset, int size) =>
        c.Query<(string, long)>("""
            SELECT s.permalink, t.last_key
            FROM (SELECT story_id, max(sort_key) AS last_key FROM articles WHERE story_id IS NOT NULL GROUP BY story_id HAVING count(*) > 1) t
            JOIN articles s ON s.id = t.story_id ORDER BY t.last_key DESC, t.story_id LIMIT @size OFFSET @offset
            """, new { offset, size }).AsList();

    /// <summary>The largest sort key (the newest article's), null in an empty archive: by the sort_key index.</summary>
    public static long? NewestKey(DbConnection c) => c.ExecuteScalar<long?>("SELECT max(sort_key) FROM articles");
}
