using System.Data.Common;
using Dapper;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>The reading side of the story threads: a thread's articles and the threads of a period told by the most outlets.</summary>
public static partial class StoryStore
{
    /// <summary>
    /// The articles of the thread of the article at a permalink (itself included), oldest first, at most
    /// <paramref name="limit"/>; none for no such article, and only itself for one not yet threaded.
    /// By the permalink and articles_by_story indexes.
    /// </summary>
    public static List<ArticleRow> ThreadOf(DbConnection c, string permalink, int limit) =>
        c.Query<ArticleRow>($"""
            SELECT {ArticleStore.SummaryColumns} FROM articles
            WHERE story_id = (SELECT story_id FROM articles WHERE permalink = @permalink) ORDER BY sort_key LIMIT @limit
            """, new { permalink, limit }).AsList();

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

    /// <summary>The largest sort key (the newest article's), null in an empty archive: by the sort_key index.</summary>
    public static long? NewestKey(DbConnection c) => c.ExecuteScalar<long?>("SELECT max(sort_key) FROM articles");
}
