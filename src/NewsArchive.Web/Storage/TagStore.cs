using System.Data.Common;
using Dapper;
using NewsArchive.Web.Model;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Storage;

/// <summary>The tags and article_tags tables: a tag is its folded name (Text/Folding.cs), so a tag's page answers in either script.</summary>
public static class TagStore
{
    // Classes, not positional records: Dapper converts property by property (see ArticleStore.SourceCount).
    public sealed class Tag
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public long Count { get; init; }
    }

    /// <summary>What a tag is looked up by: its name folded as search folds text.</summary>
    public static string Key(string name) => Folding.Fold(name.Trim());

    /// <summary>Replaces the tags of a stored article.</summary>
    public static void Set(DbConnection c, long articleId, long sortKey, IEnumerable<string> names, DbTransaction tx)
    {
        using var b = new IngestBatch(c, tx);
        Set(b, articleId, sortKey, names, replace: true);
    }

    /// <summary>Sets the article's tags; replace: it may have some already (a new article has none to delete).</summary>
    public static void Set(IngestBatch b, long articleId, long sortKey, IEnumerable<string> names, bool replace)
    {
        if (replace)
        {
            b.Execute("DELETE FROM article_tags WHERE article_id = @articleId", Arg.Of("articleId", articleId));
        }
        foreach (var (name, folded) in names.Select(n => (n, Key(n))).Where(t => t.Item2.Length > 0).DistinctBy(t => t.Item2))
        {
            if (!b.TagIds.TryGetValue(folded, out var tagId))
            {
                // A tag keeps the name it was first recorded with.
                tagId = b.Number("SELECT id FROM tags WHERE folded = @folded", Arg.Of("folded", folded))
                    ?? b.Number("INSERT INTO tags (name, folded) VALUES (@name, @folded) ON CONFLICT (folded) DO UPDATE SET name = tags.name RETURNING id",
                        Arg.Of("name", name), Arg.Of("folded", folded))!.Value;
                b.TagIds[folded] = tagId;
            }
            // VALUES, not INSERT … SELECT: SQLite gives a statement that may write several rows an undo journal of its own.
            b.Execute("INSERT INTO article_tags (article_id, tag_id, sort_key) VALUES (@articleId, @tagId, @sortKey)",
                Arg.Of("articleId", articleId), Arg.Of("tagId", tagId), Arg.Of("sortKey", sortKey));
        }
    }

    /// <summary>The tag with this name in either script, with its article count; null if no article carries it.</summary>
    public static Tag? Find(DbConnection c, string name) =>
        c.QuerySingleOrDefault<Tag>("""
            SELECT t.id AS Id, t.name AS Name, count(*) AS Count
            FROM tags t JOIN article_tags a ON a.tag_id = t.id WHERE t.folded = @folded GROUP BY t.id, t.name
            """, new { folded = Key(name) });

    /// <summary>A page of a tag's articles, newest first.</summary>
    public static List<ArticleRow> Articles(DbConnection c, long tagId, int offset, int size) =>
        c.Query<ArticleRow>($"""
            SELECT {ArticleStore.SummaryColumns} FROM articles WHERE sort_key IN
              (SELECT sort_key FROM article_tags WHERE tag_id = @tagId ORDER BY sort_key DESC LIMIT @size OFFSET @offset)
            ORDER BY sort_key DESC
            """, new { tagId, offset, size }).AsList();

    /// <summary>How many tags some article carries.</summary>
    public static long Count(DbConnection c) => c.ExecuteScalar<long>("SELECT count(DISTINCT tag_id) FROM article_tags");

    /// <summary>A page of the tags some article carries, most articles first.</summary>
    public static List<Tag> Page(DbConnection c, int offset, int size) =>
        c.Query<Tag>("""
            SELECT t.id AS Id, t.name AS Name, count(*) AS Count
            FROM article_tags a JOIN tags t ON t.id = a.tag_id GROUP BY t.id, t.name ORDER BY count(*) DESC, t.id LIMIT @size OFFSET @offset
            """, new { offset, size }).AsList();
}
