using System.Data.Common;
using Dapper;

namespace NewsArchive.Web.Storage;

/// <summary>The article_aliases table: every original URL of an article, the content hashes found there, and the permalink it had.</summary>
public static class ArticleAliasStore
{
    /// <summary>Records (or moves to this article) one of its URLs with the content hash of a file found there.</summary>
    public static void Put(DbConnection c, string url, string contentHash, string urlKey, string permalink, long articleId, DbTransaction tx)
    {
        using var b = new IngestBatch(c, tx);
        Put(b, url, contentHash, urlKey, permalink, articleId);
    }

    public static void Put(IngestBatch b, string url, string contentHash, string urlKey, string permalink, long articleId) =>
        b.Execute($"""
            INSERT INTO article_aliases (url, content_hash, url_key, permalink, article_id)
            VALUES (@url, @contentHash, @urlKey, @permalink, @articleId)
            ON CONFLICT ({b.Connection.Pick("url", "md5(url)")}, content_hash) DO UPDATE SET article_id = excluded.article_id
            """, Arg.Of("url", url), Arg.Of("contentHash", contentHash), Arg.Of("urlKey", urlKey), Arg.Of("permalink", permalink), Arg.Of("articleId", articleId));

    // Owners are live articles only: the aliases of a deleted article (its files gone, or taken down)
    // stay, pointing nowhere, and must not make its next file a second article (Ingest/Ingester.Deletions.cs;
    // the ingest's lookup by key or content is ArticleStore.Owner).

    /// <summary>The live article one of whose URLs has this key.</summary>
    public static long? ArticleByKey(DbConnection c, string urlKey, DbTransaction? tx = null) =>
        c.QueryFirstOrDefault<long?>("""
            SELECT x.article_id FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.url_key = @urlKey LIMIT 1
            """, new { urlKey }, tx);

    /// <summary>The permalink of the article one of whose URLs had this permalink (the way a link handed out earlier is answered).</summary>
    public static string? CanonicalOf(DbConnection c, string permalink) =>
        c.QueryFirstOrDefault<string>("""
            SELECT a.permalink FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.permalink = @permalink LIMIT 1
            """, new { permalink });

    /// <summary>The permalink of the article one of whose URLs has this key.</summary>
    public static string? PermalinkByKey(DbConnection c, string urlKey) =>
        c.QueryFirstOrDefault<string>("""
            SELECT a.permalink FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.url_key = @urlKey LIMIT 1
            """, new { urlKey });

    /// <summary>The keys of the article's URLs (Model/UrlIdentity.Key).</summary>
    public static List<string> KeysOf(DbConnection c, long articleId, DbTransaction tx) =>
        c.Query<string>("SELECT DISTINCT url_key FROM article_aliases WHERE article_id = @articleId", new { articleId }, tx).AsList();

    /// <summary>The article's URLs, canonical one included, in URL order.</summary>
    public static List<string> OfArticle(DbConnection c, long articleId) =>
        c.Query<string>("SELECT DISTINCT url FROM article_aliases WHERE article_id = @articleId ORDER BY url", new { articleId }).AsList();

    /// <summary>A merged article's URLs become the survivor's.</summary>
    public static void Move(DbConnection c, long from, long to, DbTransaction tx) =>
        c.Execute("UPDATE article_aliases SET article_id = @to WHERE article_id = @from", new { from, to }, tx);

}
