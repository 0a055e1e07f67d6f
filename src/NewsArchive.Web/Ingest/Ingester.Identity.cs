using Microsoft.Data.Sqlite;
using NewsArchive.Web.Media;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>The URL identity rule: which file's copy of an article is stored.</summary>
public sealed partial class Ingester
{
    /// <summary>
    /// The URL is the identity. When several files hold the same URL, the copy from the file whose
    /// full path sorts first (ordinal) is stored, whatever order the files arrive in; the others
    /// are duplicates. A changed file that holds the stored copy updates it in place.
    /// </summary>
    private static (long Id, FileStatus Fate) Store(
        SqliteConnection c, Article a, IndexDocument document, string path, ref long nextId, long now, List<(long, IndexDocument?)> changes, SqliteTransaction tx)
    {
        var existing = ArticleStore.FindByUrl(c, a.Url, tx);
        if (existing is not { } e)
        {
            var id = nextId++;
            Queue(c, ArticleStore.Put(c, id, a, path, now, null, tx), a, document, changes, tx);
            return (id, FileStatus.New);
        }
        var samePath = e.SourcePath == path;
        if (samePath || string.CompareOrdinal(path, e.SourcePath) < 0)
        {
            IndexQueueStore.Enqueue(c, e.SortKey, put: false, tx);
            changes.Add((e.SortKey, null));
            Queue(c, ArticleStore.Put(c, e.Id, a, path, now, e, tx), a, document, changes, tx);
        }
        return (e.Id, samePath ? FileStatus.Updated : FileStatus.Duplicate);
    }

    private static void Queue(SqliteConnection c, long sortKey, Article a, IndexDocument document, List<(long, IndexDocument?)> changes, SqliteTransaction tx)
    {
        IndexQueueStore.Enqueue(c, sortKey, put: true, tx);
        // The article's images are queued with it; they are fetched elsewhere (Media/MediaWorker.cs).
        MediaStore.Enqueue(c, MediaHtml.ImageUrls(a.Html, a.LeadImage), tx);
        changes.Add((sortKey, document));
    }
}
