using System.Data.Common;
using Dapper;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>The article_revisions table: the earlier copies of an article, newest first.</summary>
public static class ArticleRevisionStore
{
    private const string SummaryColumns =
        "id AS Id, article_id AS ArticleId, permalink AS Permalink, url AS Url, title AS Title, published AS Published, source_path AS SourcePath";

    /// <summary>Keeps the article's shown copy as an earlier revision (before a newer one replaces it).</summary>
    public static void KeepShown(DbConnection c, long articleId, DbTransaction tx) =>
        c.Execute("""
            INSERT INTO article_revisions (article_id, permalink, url, title, published, text, html, source_path, content_hash)
            SELECT id, permalink, url, title, published, text, html, source_path, content_hash FROM articles WHERE id = @articleId
            ON CONFLICT (content_hash) DO NOTHING
            """, new { articleId }, tx);

    /// <summary>Keeps a copy older than the shown one.</summary>
    public static void Add(DbConnection c, long articleId, Article a, string contentHash, string sourcePath, DbTransaction tx) =>
        c.Execute("""
            INSERT INTO article_revisions (article_id, permalink, url, title, published, text, html, source_path, content_hash)
            VALUES (@articleId, @Permalink, @Url, @Title, @published, @Text, @Html, @sourcePath, @contentHash)
            ON CONFLICT (content_hash) DO NOTHING
            """, new { articleId, a.Permalink, a.Url, a.Title, published = a.Published?.ToUnixTimeMilliseconds(), a.Text, a.Html, sourcePath, contentHash }, tx);

    /// <summary>Whether this folded title and text is already one of the earlier revisions.</summary>
    public static bool Holds(DbConnection c, string contentHash, DbTransaction tx) =>
        c.ExecuteScalar<long>("SELECT count(*) FROM article_revisions WHERE content_hash = @contentHash", new { contentHash }, tx) > 0;

    /// <summary>The article's earlier revisions, newest first (undated last), without text.</summary>
    public static List<ArticleRevision> OfArticle(DbConnection c, long articleId) =>
        c.Query<ArticleRevision>(
            $"SELECT {SummaryColumns} FROM article_revisions WHERE article_id = @articleId ORDER BY published IS NULL, published DESC, id DESC",
            new { articleId }).AsList();

    /// <summary>One earlier revision of the article, with its text and html.</summary>
    public static ArticleRevision? Get(DbConnection c, long articleId, long id) =>
        c.QuerySingleOrDefault<ArticleRevision>(
            $"SELECT {SummaryColumns}, text AS Text, html AS Html FROM article_revisions WHERE article_id = @articleId AND id = @id",
            new { articleId, id });

    /// <summary>Forgets an earlier revision that is shown again (its newer copies' files are gone).</summary>
    public static void Forget(DbConnection c, string contentHash, DbTransaction tx) =>
        c.Execute("DELETE FROM article_revisions WHERE content_hash = @contentHash", new { contentHash }, tx);

    /// <summary>Forgets the earlier revisions read from a file that is gone from the folder.</summary>
    public static int ForgetFile(DbConnection c, string sourcePath, DbTransaction tx) =>
        c.Execute("DELETE FROM article_revisions WHERE source_path = @sourcePath", new { sourcePath }, tx);

    /// <summary>A merged article's revisions become the survivor's.</summary>
    public static void Move(DbConnection c, long from, long to, DbTransaction tx) =>
        c.Execute("UPDATE article_revisions SET article_id = @to WHERE article_id = @from", new { from, to }, tx);
}
