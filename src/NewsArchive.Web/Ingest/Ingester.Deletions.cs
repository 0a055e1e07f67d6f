using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>What a run did about the files gone from its roots (see <see cref="Ingester.AllowMassDeletion"/>).</summary>
/// <param name="Files">Files gone whose records were forgotten (not those kept: <paramref name="Refused"/>).</param>
/// <param name="Removed">Articles deleted: no file holds them any more.</param>
/// <param name="Moved">Articles whose stored copy went, stored again from another of their files.</param>
/// <param name="Refused">What was kept though its files are gone (under a missing or empty folder, or too many at once) and why, or null.</param>
/// <param name="Versions">Earlier versions (revisions) forgotten with their files.</param>
public sealed record DeletionReport(int Files, int Removed, int Moved, string? Refused, int Versions = 0)
{
    /// <summary>Whether what the site shows changed.</summary>
    public bool Changed => Removed + Moved + Versions > 0;
}

/// <summary>
/// Deletions: after the walk, the files the archive recorded under the roots that the walk did not
/// find. A gone file's record is forgotten; its article stays while another file holds it (if the
/// gone file was the stored copy, the best-ranked of the others is read and stored instead, and the
/// old permalink keeps answering through its alias), and is deleted when none does. Its aliases stay,
/// pointing nowhere, so its permalinks answer 404 until a file of it is ingested again.
/// </summary>
public sealed partial class Ingester
{
    /// <summary>More gone files than this (and more than half of those under the roots) look like an unmounted folder.</summary>
    public const int MassDeletion = 100;

    /// <summary>Deletes even when files look unmounted (a folder gone or empty, most files gone): the <c>ingest --allow-deletions</c> override.</summary>
    public bool AllowMassDeletion { get; init; }

    public Action<DeletionReport>? OnDeletions { get; init; }

    private DeletionReport RemoveGone(IEnumerable<string> roots, HashSet<string> present, ParseJournal journal)
    {
        var under = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToList();
        bool InRoots(string path) => under.Exists(r => path == r || path.StartsWith(r.EndsWith('/') ? r : r + '/', StringComparison.Ordinal));
        using var c = _db.OpenArticles();
        var files = SourceFileStore.All(c);
        var known = files.Count(f => InRoots(f.Path));
        // Checked again on disk: a path the walk did not list may only have been out of its reach for a moment.
        var gone = files.Where(f => InRoots(f.Path) && !present.Contains(f.Path) && !File.Exists(f.Path)).ToList();
        if (gone.Count == 0)
        {
            return new DeletionReport(0, 0, 0, null);
        }
        var refused = new List<string>();
        if (!AllowMassDeletion)
        {
            // A folder with no file left is an unmounted disk or a moved folder, not an editor's work: its files stay recorded.
            var holding = Folders(present);
            var vanished = gone.Select(f => (File: f, Folder: Vanished(f.Path, under, holding))).Where(v => v.Folder is not null).ToList();
            refused.AddRange(vanished.GroupBy(v => v.Folder!, StringComparer.Ordinal).Select(g =>
                $"kept {g.Where(v => v.File.ArticleId is not null).Select(v => v.File.ArticleId).Distinct().Count()} articles ({g.Count()} files) "
                + $"under {(Directory.Exists(g.Key) ? "empty" : "missing")} folder {g.Key}"));
            gone = gone.Except(vanished.Select(v => v.File)).ToList();
            if (gone.Count > MassDeletion && gone.Count * 2 > known)
            {
                refused.Add($"kept the articles of {gone.Count} of the {known} files recorded under {string.Join(", ", under)}: is a folder unmounted?");
                gone = [];
            }
        }
        var why = refused.Count == 0 ? null : string.Join("; ", refused) + "; run `ingest --allow-deletions` to delete them";
        var holders = files.Where(f => f.Holds).GroupBy(f => f.ArticleId!.Value).ToDictionary(g => g.Key, g => g.Select(f => f.Path).ToHashSet());
        int removed = 0, moved = 0, versions = 0;
        foreach (var batch in gone.Chunk(BatchSize))
        {
            using var tx = c.BeginTransaction();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var f in batch)
            {
                SourceFileStore.Delete(c, f.Path, tx);
                versions += ArticleRevisionStore.ForgetFile(c, f.Path, tx);
                if (f.ArticleId is not { } id)
                {
                    continue;
                }
                var others = holders.GetValueOrDefault(id) ?? [];
                others.Remove(f.Path);
                // Only the stored copy's going changes the article; a taken-down one is gone already, and its takedown keeps it so.
                if (ArticleStore.Find(c, id, tx) is not { } e || e.SourcePath != f.Path)
                {
                    continue;
                }
                // Its features, if this run stored it, are no longer its row's: threading reads the row.
                _fresh.Remove(id);
                if (Best(others, journal) is { } p)
                {
                    IndexQueueStore.Enqueue(c, e.SortKey, put: false, tx);
                    IndexQueueStore.Enqueue(c, ArticleStore.Put(c, id, p.Article!, p.ContentHash, p.File.Path, now, e, tx), put: true, tx);
                    ArticleRevisionStore.Forget(c, p.ContentHash, tx);
                    MediaStore.Enqueue(c, p.Images, tx);
                    SourceFileStore.Upsert(c, new SourceFile(p.File.Path, p.File.Size, p.File.Mtime, p.Hash, FileStatus.Updated, null, id), tx);
                    moved++;
                    continue;
                }
                ArticleStore.Delete(c, id, tx);
                IndexQueueStore.Enqueue(c, e.SortKey, put: false, tx);
                removed++;
            }
            tx.Commit();
        }
        return new DeletionReport(gone.Count, removed, moved, why, versions);
    }

    /// <summary>
    /// The outermost folder between a gone file and its root (the root included) under which the walk
    /// found no file: missing or empty; null when the file's own folder still holds files.
    /// </summary>
    private static string? Vanished(string path, List<string> roots, HashSet<string> holding)
    {
        var root = roots.Where(r => path.StartsWith(r + '/', StringComparison.Ordinal)).MaxBy(r => r.Length);
        string? outermost = null;
        for (var dir = Path.GetDirectoryName(path); root is not null && dir is not null && dir.Length >= root.Length; dir = Path.GetDirectoryName(dir))
        {
            if (holding.Contains(dir))
            {
                break;
            }
            outermost = dir;
        }
        return outermost;
    }

    /// <summary>Every folder that holds one of the files, at any depth.</summary>
    private static HashSet<string> Folders(IEnumerable<string> files)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            // Up to the first folder already seen: its own are in too.
            var dir = Path.GetDirectoryName(file);
            while (dir is not null && folders.Add(dir))
            {
                dir = Path.GetDirectoryName(dir);
            }
        }
        return folders;
    }

    /// <summary>
    /// Of the files still holding an article, the copy the identity rule shows (the newest revision,
    /// then the best-ranked URL: <see cref="Newer"/>), read again; null if none reads.
    /// </summary>
    private Parsed? Best(IEnumerable<string> paths, ParseJournal journal) =>
        paths.Select(path => new FileInfo(path))
            .Where(i => i.Exists)
            .Select(i => ParseOne(new Work(i.FullName, i.Length, i.LastWriteTimeUtc.Ticks, null), journal, 0))
            .Where(p => p.Article is not null)
            .OrderByDescending(p => p.Article!.Published?.ToUnixTimeMilliseconds() ?? long.MinValue)
            .ThenBy(p => p, Comparer<Parsed>.Create((x, y) => UrlIdentity.Compare(x.Article!.Url, x.File.Path, y.Article!.Url, y.File.Path)))
            .FirstOrDefault();
}
