using System.Data.Common;
using NewsArchive.Web.Media;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>The identity rule: which article a file holds, and which file's copy of it is stored.</summary>
public sealed partial class Ingester
{
    /// <summary>
    /// A file holds the article that has one of its URLs under the same key (Model/UrlIdentity.Key),
    /// or else the one with the same folded title and text, or else the one of the same source and
    /// title whose text is nearly the same (<see cref="TextShingles"/>). Of an article's files with
    /// one content, the copy stored (and so its canonical URL and permalink) is the one whose URL
    /// ranks first (<see cref="UrlIdentity.Compare"/>); of its different contents (revisions) the
    /// newest is shown (by date, then the same rank) and the earlier ones are kept in
    /// article_revisions: whatever order the files arrive in, the result is the same. A changed file
    /// that holds the stored copy updates it in place.
    /// </summary>
    private static (long Id, FileStatus Fate) Store(
        IngestBatch b, Parsed p, string path, ref long nextId, long now, List<(long, IndexDocument?)> changes)
    {
        var (c, tx) = (b.Connection, b.Transaction);
        var (a, document, hash) = (p.Article!, p.Document!, p.ContentHash);
        var key = UrlIdentity.Key(a.Url);
        if ((p.ContentIdentifies ? ArticleStore.Owner(b, key, hash) ?? Revised(b, a) : ArticleStore.Owner(b, key, null)) is not { } e)
        {
            var id = nextId++;
            ArticleAliasStore.Put(b, a.Url, hash, key, a.Permalink, id);
            Queue(b, ArticleStore.Put(b, id, a, hash, path, now, null), p.Images, document, changes);
            return (id, FileStatus.New);
        }
        ArticleAliasStore.Put(b, a.Url, hash, key, a.Permalink, e.Id);
        var samePath = e.SourcePath == path;
        var revision = !samePath && ArticleStore.ContentHashOf(c, e.Id, tx) != hash;
        if (revision && ArticleRevisionStore.Holds(c, hash, tx))
        {
            // Another copy of an earlier revision: its URL is an alias, nothing else changes.
            return (e.Id, FileStatus.Duplicate);
        }
        if (revision && !Newer(a, path, e))
        {
            ArticleRevisionStore.Add(c, e.Id, a, hash, path, tx);
            return (e.Id, FileStatus.Duplicate);
        }
        if (!samePath && !revision && UrlIdentity.Compare(a.Url, path, e.Url, e.SourcePath) > 0)
        {
            return (e.Id, FileStatus.Duplicate);
        }
        if (revision)
        {
            ArticleRevisionStore.KeepShown(c, e.Id, tx);
        }
        IndexQueueStore.Enqueue(b, e.SortKey, put: false);
        changes.Add((e.SortKey, null));
        Queue(b, ArticleStore.Put(b, e.Id, a, hash, path, now, e), p.Images, document, changes);
        // Another file's copy (an earlier or a newer revision) counts as a duplicate: only a file that changed updates.
        return (e.Id, samePath ? FileStatus.Updated : FileStatus.Duplicate);
    }

    /// <summary>Of two revisions, whether this copy is the one shown: the later date, then the better-ranked URL.</summary>
    private static bool Newer(Article a, string path, ArticleStore.Existing e)
    {
        var published = a.Published?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var shown = e.Published ?? long.MinValue;
        return published != shown ? published > shown : UrlIdentity.Compare(a.Url, path, e.Url, e.SourcePath) < 0;
    }

    /// <summary>
    /// The article this one is a revision of under another URL: the same source and title, dated
    /// within a week, and a text nearly the same. Only a few candidates, found by an index; the text is folded here (on
    /// the writer) only when there are any, which is rare outside a series of reports under one title.
    /// </summary>
    private static ArticleStore.Existing? Revised(IngestBatch b, Article a)
    {
        var candidates = ArticleStore.WithTitle(b, a.Source, a.Title, a.Published, TextShingles.RevisionWindow, RevisionCandidates);
        if (candidates.Count == 0)
        {
            return null;
        }
        // The candidates have the same title, so the same folded one.
        var title = Text.Folding.Fold(a.Title);
        var shingles = TextShingles.Of(Compared(a.Text));
        foreach (var (id, text) in candidates)
        {
            var folded = Compared(text);
            if (UrlIdentity.ContentIdentifies(title, folded) && TextShingles.Jaccard(shingles, TextShingles.Of(folded)) >= TextShingles.RevisionThreshold)
            {
                return ArticleStore.Find(b.Connection, id, b.Transaction);
            }
        }
        return null;
    }

    private const int RevisionCandidates = 8;

    /// <summary>Texts are compared by their first 200,000 characters: enough to tell an edit, and a bounded cost on the writer.</summary>
    private const int ComparedChars = 200_000;

    /// <summary>The folded text compared.</summary>
    private static string Compared(string text)
    {
        // Never cut a surrogate pair in two.
        var end = text.Length <= ComparedChars ? text.Length : ComparedChars - (char.IsHighSurrogate(text[ComparedChars - 1]) ? 1 : 0);
        return Text.Folding.Fold(text[..end]);
    }

    private static void Queue(IngestBatch b, long sortKey, IReadOnlyList<string> images, IndexDocument document, List<(long, IndexDocument?)> changes)
    {
        IndexQueueStore.Enqueue(b, sortKey, put: true);
        // The article's images are queued with it; they are fetched elsewhere (Media/MediaWorker.cs).
        MediaStore.Enqueue(b, images);
        changes.Add((sortKey, document));
    }

    /// <summary>
    /// Merges the rows stored before identity (migration 0005) by the same rule, a batch per
    /// transaction: a kill loses nothing, and the next run goes on from the rows not yet done.
    /// Of two rows that are one article the better-ranked copy stays; the other's URLs become its aliases.
    /// Returns how many rows were merged away.
    /// </summary>
    private int Reconcile()
    {
        using var c = _db.OpenArticles();
        var merged = 0;
        while (true)
        {
            using var tx = c.BeginTransaction();
            using var b = new IngestBatch(c, tx);
            var rows = ArticleStore.Unreconciled(c, BatchSize, tx);
            if (rows.Count == 0)
            {
                return merged;
            }
            foreach (var (id, url, title, text) in rows)
            {
                var key = UrlIdentity.Key(url);
                var hash = UrlIdentity.ContentHash(title, text);
                var self = ArticleStore.Find(c, id, tx)!;
                var other = ArticleStore.Owner(b, key, UrlIdentity.ContentIdentifies(Text.Folding.Fold(title), Text.Folding.Fold(text)) ? hash : null);
                ArticleAliasStore.Put(b, url, hash, key, Permalink.For(url), id);
                ArticleStore.SetContentHash(c, id, hash, tx);
                if (other is null)
                {
                    continue;
                }
                var (keep, drop) = UrlIdentity.Compare(self.Url, self.SourcePath, other.Url, other.SourcePath) < 0 ? (self, other) : (other, self);
                ArticleAliasStore.Move(c, drop.Id, keep.Id, tx);
                ArticleRevisionStore.Move(c, drop.Id, keep.Id, tx);
                SourceFileStore.Repoint(c, drop.Id, keep.Id, tx);
                ArticleStore.Delete(c, drop.Id, tx);
                IndexQueueStore.Enqueue(c, drop.SortKey, put: false, tx);
                merged++;
            }
            tx.Commit();
        }
    }
}
