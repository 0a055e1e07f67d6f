using System.Data.Common;
using System.Text.Json;
using Dapper;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;

namespace NewsArchive.Web.Storage;

/// <summary>The articles table.</summary>
public static class ArticleStore
{
    internal const string SummaryColumns =
        "id, permalink, url, title, title_derived AS TitleDerived, published, sort_key AS SortKey, source, outlet, byline, language, tags, excerpt, lead_image AS LeadImage";

    /// <summary>
    /// A free sort_key for an article: compact (small gaps keep the index's rowid deltas short) and
    /// in time order. Articles without a date get their id, below every dated key.
    /// </summary>
    public static long AllocateSortKey(DbConnection c, DateTimeOffset? published, long id, DbTransaction tx)
    {
        using var b = new IngestBatch(c, tx);
        return AllocateSortKey(b, published, id);
    }

    public static long AllocateSortKey(IngestBatch b, DateTimeOffset? published, long id)
    {
        if (published is not { } p)
        {
            return id < SortKeys.UnknownDateLimit ? id : throw new InvalidOperationException("too many articles without a date");
        }
        for (var key = SortKeys.At(p); ; key += 1 << SortKeys.SlotBits)
        {
            var used = b.Number(
                "SELECT max(sort_key) FROM articles WHERE sort_key BETWEEN @key AND @last", Arg.Of("key", key), Arg.Of("last", key + (1 << SortKeys.SlotBits) - 1));
            if (used is null)
            {
                return key;
            }
            if (used < key + (1 << SortKeys.SlotBits) - 1)
            {
                return used.Value + 1;
            }
        }
    }

    public sealed record Existing(long Id, long SortKey, long? Published, string SourcePath, string Url);

    private const string ExistingColumns = "id AS Id, sort_key AS SortKey, published AS Published, source_path AS SourcePath, url AS Url";

    public static Existing? Find(DbConnection c, long id, DbTransaction tx) =>
        c.QuerySingleOrDefault<Existing>($"SELECT {ExistingColumns} FROM articles WHERE id = @id", new { id }, tx);

    /// <summary>
    /// The live article one of whose URLs has this key, or else (with a hash) that a file with this
    /// content hash was found for: the two lookups and the row in one statement. Owners are live
    /// articles only: the aliases of a deleted article stay, pointing nowhere (Ingest/Ingester.Deletions.cs).
    /// </summary>
    public static Existing? Owner(IngestBatch b, string urlKey, string? contentHash)
    {
        using var r = b.Reader($"""
            SELECT {ExistingColumns} FROM articles WHERE id = coalesce(
              (SELECT x.article_id FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.url_key = @urlKey LIMIT 1),
              (SELECT x.article_id FROM article_aliases x JOIN articles a ON a.id = x.article_id
               WHERE @contentHash IS NOT NULL AND x.content_hash = @contentHash LIMIT 1))
            """, Arg.Of("urlKey", urlKey), Arg.Of("contentHash", contentHash));
        return r.Read() ? new Existing(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetString(3), r.GetString(4)) : null;
    }

    /// <summary>Rows from before identity (migration 0005) that are not yet merged: their id, URL, title and text.</summary>
    public static List<(long Id, string Url, string Title, string Text)> Unreconciled(DbConnection c, int limit, DbTransaction tx) =>
        c.Query<(long, string, string, string)>(
            "SELECT id, url, title, text FROM articles WHERE content_hash IS NULL ORDER BY id LIMIT @limit", new { limit }, tx).AsList();

    public static void SetContentHash(DbConnection c, long id, string contentHash, DbTransaction tx) =>
        c.Execute("UPDATE articles SET content_hash = @contentHash WHERE id = @id", new { id, contentHash }, tx);

    /// <summary>The content hash of the article's shown copy.</summary>
    public static string? ContentHashOf(DbConnection c, long id, DbTransaction tx) =>
        c.ExecuteScalar<string?>("SELECT content_hash FROM articles WHERE id = @id", new { id }, tx);

    /// <summary>Candidates for a revision: the newest few articles of a source with this title dated within the window (or undated), with their text.</summary>
    public static List<(long Id, string Text)> WithTitle(IngestBatch b, string source, string title, DateTimeOffset? published, TimeSpan window, int limit)
    {
        using var r = b.Reader($"""
            SELECT id, text FROM articles {b.Connection.Pick("INDEXED BY articles_by_title", "")} WHERE source = @source AND title = @title {b.Connection.Pick("", "AND md5(title) = md5(@title)")}
              AND (@at IS NULL OR published IS NULL OR published BETWEEN @at - @ms AND @at + @ms)
            ORDER BY sort_key DESC LIMIT @limit
            """, Arg.Of("source", source), Arg.Of("title", title), Arg.Of("at", published?.ToUnixTimeMilliseconds()),
            Arg.Of("ms", (long)window.TotalMilliseconds), Arg.Of("limit", limit));
        var rows = new List<(long, string)>();
        while (r.Read())
        {
            rows.Add((r.GetInt64(0), r.GetString(1)));
        }
        return rows;
    }

    public static void Delete(DbConnection c, long id, DbTransaction tx)
    {
        StoryStore.Unthread(c, id, tx);
        c.Execute("DELETE FROM articles WHERE id = @id", new { id }, tx);
    }

    /// <summary>
    /// An id no article ever had: a deleted article's aliases keep its id (so its permalinks answer
    /// 404, not another article), so a new one must not take it.
    /// </summary>
    public static long NextId(DbConnection c, DbTransaction tx) =>
        c.ExecuteScalar<long>(
            $"SELECT {c.Pick("max", "greatest")}(coalesce((SELECT max(id) FROM articles), 0), coalesce((SELECT max(article_id) FROM article_aliases), 0)) + 1",
            transaction: tx);

    /// <summary>Inserts or replaces the article with this id; returns its sort_key.</summary>
    public static long Put(DbConnection c, long id, Article a, string contentHash, string sourcePath, long now, Existing? existing, DbTransaction tx)
    {
        using var b = new IngestBatch(c, tx);
        return Put(b, id, a, contentHash, sourcePath, now, existing);
    }

    /// <summary>The upsert part of <see cref="Put(IngestBatch, long, Article, string, string, long, Existing?)"/> for an article stored before.</summary>
    private const string Replaces = """
        ON CONFLICT (id) DO UPDATE SET permalink = excluded.permalink, url = excluded.url, title = excluded.title,
            title_derived = excluded.title_derived, content_hash = excluded.content_hash, published = excluded.published,
            sort_key = excluded.sort_key, source = excluded.source, outlet = excluded.outlet, byline = excluded.byline, language = excluded.language,
            tags = excluded.tags, excerpt = excluded.excerpt, lead_image = excluded.lead_image,
            text = excluded.text, html = excluded.html, source_path = excluded.source_path,
            updated_at = excluded.updated_at, derivation = excluded.derivation, story_id = NULL
        """;

    /// <summary>Inserts or replaces the article with this id (new when <paramref name="existing"/> is null); returns its sort_key.</summary>
    public static long Put(IngestBatch b, long id, Article a, string contentHash, string sourcePath, long now, Existing? existing)
    {
        var published = a.Published?.ToUnixTimeMilliseconds();
        if (existing is not null)
        {
            // Its new text may no longer link what it linked (the upsert unthreads the article itself).
            StoryStore.Unthread(b.Connection, id, b.Transaction);
        }
        var sortKey = existing is not null && existing.Published == published ? existing.SortKey : AllocateSortKey(b, a.Published, id);
        // A new article is a plain insert: an upsert's update part, like a trigger, gets SQLite's per-statement undo journal.
        var stored = b.Execute($"""
            {b.Connection.InsertUndoneByCaller()} articles (id, permalink, url, title, title_derived, published, sort_key, source, outlet, byline, language, tags,
                                  excerpt, lead_image, text, html, source_path, content_hash, ingested_at, updated_at, derivation)
            VALUES (@id, @Permalink, @Url, @Title, @TitleDerived, @published, @sortKey, @Source, @Outlet, @Byline, @Language, @tags,
                    @Excerpt, @LeadImage, @Text, @Html, @sourcePath, @contentHash, @now, @now, @derivation)
            {(existing is null ? "" : Replaces)}
            """,
            Arg.Of("id", id),
            Arg.Of("Permalink", a.Permalink),
            Arg.Of("Url", a.Url),
            Arg.Of("Title", a.Title),
            new Arg("TitleDerived", a.TitleDerived, System.Data.DbType.Boolean),
            Arg.Of("published", published),
            Arg.Of("sortKey", sortKey),
            Arg.Of("Source", a.Source),
            Arg.Of("Outlet", a.Outlet),
            Arg.Of("Byline", a.Byline),
            Arg.Of("Language", a.Language),
            Arg.Of("tags", JsonSerializer.Serialize(a.Tags)),
            Arg.Of("Excerpt", a.Excerpt),
            Arg.Of("LeadImage", a.LeadImage),
            Arg.Of("Text", a.Text),
            Arg.Of("Html", a.Html),
            Arg.Of("sourcePath", sourcePath),
            Arg.Of("contentHash", contentHash),
            Arg.Of("now", now),
            Arg.Of("derivation", ArticleReader.Derivation));
        // A new article has no tag rows to replace; one the database kept out (a takedown's trigger: no row changed) gets none.
        TagStore.Set(b, id, sortKey, stored > 0 ? a.Tags : [], replace: existing is not null);
        return sortKey;
    }

    /// <summary>Rows whose excerpt and tag rows an earlier <see cref="ArticleReader.Derivation"/> made: id, sort_key, title, text and tags (JSON).</summary>
    public static List<(long Id, long SortKey, string Title, string Text, string Tags)> Underived(DbConnection c, int limit, DbTransaction tx) =>
        c.Query<(long, long, string, string, string)>(
            "SELECT id, sort_key, title, text, tags FROM articles WHERE derivation < @derivation ORDER BY derivation, id LIMIT @limit",
            new { derivation = ArticleReader.Derivation, limit }, tx).AsList();

    public static void SetDerived(DbConnection c, long id, string excerpt, DbTransaction tx) =>
        c.Execute("UPDATE articles SET excerpt = @excerpt, derivation = @derivation WHERE id = @id",
            new { id, excerpt, derivation = ArticleReader.Derivation }, tx);

    /// <summary>The article that has this sort_key, with its text (what the index is built from); null if none has it.</summary>
    public static ArticleRow? GetBySortKey(DbConnection c, long sortKey) =>
        c.QuerySingleOrDefault<ArticleRow>($"SELECT {SummaryColumns}, text FROM articles WHERE sort_key = @sortKey", new { sortKey });

    public static ArticleRow? GetByPermalink(DbConnection c, string permalink) =>
        c.QuerySingleOrDefault<ArticleRow>(
            $"SELECT {SummaryColumns}, text, html FROM articles WHERE permalink = @permalink", new { permalink });

    /// <summary>When the article was first stored (epoch milliseconds): the day a citation says it was archived.</summary>
    public static long IngestedAt(DbConnection c, long id) =>
        c.ExecuteScalar<long>("SELECT ingested_at FROM articles WHERE id = @id", new { id });

    /// <summary>The WHERE clause of a filter: only the conditions it has, so SQLite can use the best index.</summary>
    private static (string Sql, object Args) Where(ArticleFilter f)
    {
        var (min, max) = f.SortKeyRange;
        var parts = new List<string> { "sort_key BETWEEN @min AND @max" };
        if (f.Outlet is not null)
        {
            parts.Add("outlet = @Outlet");
        }
        if (f.Language is not null)
        {
            parts.Add("language = @Language");
        }
        return (string.Join(" AND ", parts), new { f.Outlet, f.Language, min, max });
    }

    public static long Count(DbConnection c, ArticleFilter f)
    {
        var (where, args) = Where(f);
        return c.ExecuteScalar<long>($"SELECT count(*) FROM articles WHERE {where}", args);
    }

    /// <summary>
    /// One page, newest first. Given the total, a page in the older half is read from the oldest end,
    /// so the last page costs what the first does.
    /// </summary>
    public static List<ArticleRow> Page(DbConnection c, ArticleFilter f, int offset, int size, long? total = null)
    {
        var (where, args) = Where(f);
        var p = new DynamicParameters(args);
        if (total is { } t && offset > t / 2)
        {
            var take = (int)Math.Max(0, Math.Min(size, t - offset));
            p.Add("size", take);
            p.Add("offset", Math.Max(0, t - offset - take));
            var rows = c.Query<ArticleRow>($"SELECT {SummaryColumns} FROM articles WHERE {where} ORDER BY sort_key ASC LIMIT @size OFFSET @offset", p).AsList();
            rows.Reverse();
            return rows;
        }
        p.Add("size", size);
        p.Add("offset", offset);
        return c.Query<ArticleRow>($"SELECT {SummaryColumns} FROM articles WHERE {where} ORDER BY sort_key DESC LIMIT @size OFFSET @offset", p).AsList();
    }

    // Classes, not positional records: on an empty table SQLite types count(*) as a blob, which no
    // constructor matches; Dapper converts property by property instead (so OutletStore.OutletCount).
    public sealed class LanguageCount
    {
        public string Language { get; init; } = "";
        public long Count { get; init; }
    }

    public static List<LanguageCount> Languages(DbConnection c, ArticleFilter f)
    {
        var (where, args) = Where(f with { Language = null });
        return c.Query<LanguageCount>($"SELECT language AS Language, count(*) AS Count FROM articles WHERE {where} GROUP BY language ORDER BY count(*) DESC", args).AsList();
    }

    public sealed class PeriodCount
    {
        public string Period { get; init; } = "";
        public long Count { get; init; }
    }

    /// <summary>Article counts per year (yyyy) or, within a year, per month (yyyy-MM), in UTC.</summary>
    public static List<PeriodCount> Periods(DbConnection c, ArticleFilter f, bool months)
    {
        var (where, args) = Where(f);
        var period = c.Pick(
            $"strftime('{(months ? "%Y-%m" : "%Y")}', published / 1000, 'unixepoch')",
            $"to_char(to_timestamp(published / 1000) AT TIME ZONE 'UTC', '{(months ? "YYYY-MM" : "YYYY")}')");
        return c.Query<PeriodCount>($"""
            SELECT {period} AS Period, count(*) AS Count
            FROM articles WHERE {where} AND published IS NOT NULL GROUP BY Period ORDER BY Period DESC
            """, args).AsList();
    }

    /// <summary>The publication instants (epoch milliseconds) of a filter's dated articles, for a calendar's day counts.</summary>
    public static List<long> PublishedTimes(DbConnection c, ArticleFilter f)
    {
        var (where, args) = Where(f);
        return c.Query<long>($"SELECT published FROM articles WHERE {where} AND published IS NOT NULL", args).AsList();
    }

    /// <summary>The articles just newer and just older from the same outlet.</summary>
    public static (ArticleRow? Newer, ArticleRow? Older) Neighbours(DbConnection c, ArticleRow a) =>
        (c.QuerySingleOrDefault<ArticleRow>(
            $"SELECT {SummaryColumns} FROM articles WHERE outlet = @Outlet AND sort_key > @SortKey ORDER BY sort_key LIMIT 1", a),
         c.QuerySingleOrDefault<ArticleRow>(
            $"SELECT {SummaryColumns} FROM articles WHERE outlet = @Outlet AND sort_key < @SortKey ORDER BY sort_key DESC LIMIT 1", a));

    /// <summary>Summaries for a list of sort keys, in the order given, with the start of the text for snippets.</summary>
    public static List<ArticleRow> BySortKeys(DbConnection c, IReadOnlyList<long> keys, int textChars = 10_000)
    {
        if (keys.Count == 0)
        {
            return [];
        }
        var rows = c.Query<ArticleRow>($"SELECT {SummaryColumns}, substr(text, 1, @textChars) AS text FROM articles WHERE {c.InList("sort_key", "keys")}", new { keys = keys.ToArray(), textChars })
            .ToDictionary(r => r.SortKey);
        return keys.Where(rows.ContainsKey).Select(k => rows[k]).ToList();
    }

    /// <summary>The articles in a filter that the index finds no match of x in (all of them when x is null).</summary>
    private static (string Sql, DynamicParameters Args) Outside(ArticleFilter f, ISearchIndex index, IndexQuery? x)
    {
        var (where, args) = Where(f);
        var p = new DynamicParameters(args);
        return x is null ? (where, p) : (where + $" AND sort_key NOT IN ({index.MatchingKeys(x, p)})", p);
    }

    public static long CountOutside(DbConnection c, ArticleFilter f, ISearchIndex index, IndexQuery? x)
    {
        var (where, args) = Outside(f, index, x);
        return c.ExecuteScalar<long>($"SELECT count(*) FROM articles WHERE {where}", args);
    }

    /// <summary>A page of the sort keys of <see cref="Outside"/>, newest first.</summary>
    public static List<long> KeysOutside(DbConnection c, ArticleFilter f, ISearchIndex index, IndexQuery? x, long size, int offset)
    {
        var (where, args) = Outside(f, index, x);
        args.Add("size", size);
        args.Add("offset", offset);
        return c.Query<long>($"SELECT sort_key FROM articles WHERE {where} ORDER BY sort_key DESC LIMIT @size OFFSET @offset", args).AsList();
    }

    /// <summary>The title and text of each article among the keys, by sort_key.</summary>
    public static Dictionary<long, (string Title, string Text)> Texts(DbConnection c, IReadOnlyList<long> keys) =>
        c.Query<(long Key, string Title, string Text)>($"SELECT sort_key, title, text FROM articles WHERE {c.InList("sort_key", "keys")}", new { keys = keys.ToArray() })
            .ToDictionary(x => x.Key, x => (x.Title, x.Text));
}
