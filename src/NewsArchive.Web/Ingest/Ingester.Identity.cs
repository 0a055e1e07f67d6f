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
        DbConnection c, Parsed p, string path, ref long nextId, long now, List<(long, IndexDocument?)> changes, DbTransaction tx)
    {
        var (a, document, hash) = (p.Article!, p.Document!, p.ContentHash);
        var key = UrlIdentity.Key(a.Url);
        if ((p.ContentIdentifies ? Owner(c, key, hash, tx) ?? Revised(c, a, tx) : Owner(c, key, null, tx)) is not { } e)
        {
            var id = nextId++;
            ArticleAliasStore.Put(c, a.Url, hash, key, a.Permalink, id, tx);
            Queue(c, ArticleStore.Put(c, id, a, hash, path, now, null, tx), p.Images, document, changes, tx);
            return (id, FileStatus.New);
        }
        ArticleAliasStore.Put(c, a.Url, hash, key, a.Permalink, e.Id, tx);
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
        IndexQueueStore.Enqueue(c, e.SortKey, put: false, tx);
        changes.Add((e.SortKey, null));
        Queue(c, ArticleStore.Put(c, e.Id, a, hash, path, now, e, tx), p.Images, document, changes, tx);
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
    private static ArticleStore.Existing? Revised(DbConnection c, Article a, DbTransaction tx)
    {
        var candidates = ArticleStore.WithTitle(c, a.Source, a.Title, a.Published, TextShingles.RevisionWindow, RevisionCandidates, tx);
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
                return ArticleStore.Find(c, id, tx);
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

    /// <summary>The article a URL key or else a content hash names (none for a content too short to identify it).</summary>
    private static ArticleStore.Existing? Owner(DbConnection c, string key, string? hash, DbTransaction tx) =>
        (ArticleAliasStore.ArticleByKey(c, key, tx) ?? (hash is null ? null : ArticleAliasStore.ArticleByContent(c, hash, tx))) is { } id
            ? ArticleStore.Find(c, id, tx)
            : null;

    private static void Queue(DbConnection c, long sortKey, IReadOnlyList<string> images, IndexDocument document, List<(long, IndexDocument?)> changes, DbTransaction tx)
    {
        IndexQueueStore.Enqueue(c, sortKey, put: true, tx);
        // The article's images are queued with it; they are fetched elsewhere (Media/MediaWorker.cs).
        MediaStore.Enqueue(c, images, tx);
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
                var other = Owner(c, key, UrlIdentity.ContentIdentifies(Text.Folding.Fold(title), Text.Folding.Fold(text)) ? hash : null, tx);
                ArticleAliasStore.Put(c, url, hash, key, Permalink.For(url), id, tx);
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
