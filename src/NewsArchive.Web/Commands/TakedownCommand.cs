using System.Data.Common;
using System.Text.RegularExpressions;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Commands;

/// <summary>
/// <c>takedown &lt;permalink or URL&gt;... [--reason TEXT]</c> removes articles for good (their
/// permalinks answer 410, a re-ingest keeps them out, and so does a file at a URL with the key of
/// one of theirs or with one of their contents: the identity rule's, Ingest/Ingester.Identity.cs);
/// <c>restore</c> undoes it and reads the files it kept out again. Exit codes: 0 done, 1 some target not found (the others are done).
/// A running site notices the change on its next request (Site/ConditionalGets.cs).
/// </summary>
public static partial class TakedownCommand
{
    public const int NotFound = 1;

    public static int Takedown(IReadOnlyList<string> targets, string? reason, Database db, Transliterations? names = null)
    {
        db.Migrate();
        var status = IngestCommand.Ok;
        using (var c = db.OpenArticles())
        {
            foreach (var target in targets)
            {
                using var tx = c.BeginTransaction();
                var row = PermalinkOf(target) is { } p ? ArticleStore.GetByPermalink(c, p) : null;
                // By permalink, or by any URL the article is archived under (Model/UrlIdentity.cs).
                var id = row?.Id ?? ArticleAliasStore.ArticleByKey(c, UrlIdentity.Key(target), tx);
                var existing = id is { } found ? ArticleStore.Find(c, found, tx) : null;
                if (existing is null)
                {
                    var gone = Find(c, target, tx);
                    Console.Error.WriteLine(gone is null ? $"no article: {target}" : $"already taken down: {target} ({gone.Url})");
                    status = gone is null ? NotFound : status;
                    continue;
                }
                // Read before the takedown deletes the article and its revisions.
                var keys = ArticleAliasStore.KeysOf(c, existing.Id, tx);
                var contents = TakedownStore.Contents(c, existing.Id, tx)
                    .Where(t => UrlIdentity.ContentIdentifies(Folding.Fold(t.Title), Folding.Fold(t.Text))).Select(t => t.ContentHash).ToList();
                // The article's own URL, whichever of its URLs named it: its permalink is the one removed.
                var url = existing.Url;
                // Its thread's other articles are threaded again below: none keeps its id (the takedown's trigger deletes it).
                StoryStore.Unthread(c, existing.Id, tx);
                TakedownStore.Add(c, new Takedown(Permalink.For(url), url, existing.SourcePath, reason, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), tx);
                TakedownStore.Block(c, Permalink.For(url), keys, contents, tx);
                tx.Commit();
                Console.WriteLine($"taken down: {Permalink.For(url)} {url}");
            }
        }
        CatchUpIndex(db);
        try
        {
            // The taken-down article's thread-mates, with the weights the archive has: a rebuild of a large archive is the next ingest's.
            new StoryThreading(db, names ?? Transliterations.Shipped).Update(rebuild: false);
        }
        catch (Exception e)
        {
            // The takedown itself is done; the next ingest threads what is left.
            Console.Error.WriteLine($"story threading failed, the next ingest threads again: {e.Message}");
        }
        return status;
    }

    public static async Task<int> RestoreAsync(IReadOnlyList<string> targets, Database db, OutletTable outlets, Transliterations names)
    {
        db.Migrate();
        var status = IngestCommand.Ok;
        var files = new List<string>();
        using (var c = db.OpenArticles())
        {
            foreach (var target in targets)
            {
                using var tx = c.BeginTransaction();
                if (Find(c, target, tx) is not { } t)
                {
                    Console.Error.WriteLine($"not taken down: {target}");
                    status = NotFound;
                    continue;
                }
                // The files it kept out are forgotten, so that they are read again with its own.
                var blocked = TakedownStore.BlockedFiles(c, t.Permalink, tx);
                blocked.ForEach(path => SourceFileStore.Delete(c, path, tx));
                TakedownStore.Remove(c, t.Permalink, tx);
                tx.Commit();
                Console.WriteLine($"restored: {t.Permalink} {t.Url}");
                files.AddRange(blocked.Where(p => p != t.SourcePath && File.Exists(p)));
                if (File.Exists(t.SourcePath))
                {
                    files.Add(t.SourcePath);
                }
                else
                {
                    Console.Error.WriteLine($"its file is gone ({t.SourcePath}): it comes back when a file with its URL is ingested");
                }
            }
        }
        if (files.Count > 0)
        {
            // With the configured outlet table: the shipped one would re-derive every outlet (and the next ingest back).
            Console.WriteLine(await new Ingester(db) { Outlets = outlets, Names = names }.RunAsync(files));
        }
        return status;
    }

    /// <summary>The takedown a target names: by permalink or URL, or by the key of one of the article's URLs.</summary>
    private static Takedown? Find(DbConnection c, string target, DbTransaction tx) =>
        TakedownStore.Find(c, PermalinkOf(target) ?? target, tx) ?? TakedownStore.ByKey(c, UrlIdentity.Key(target), tx);

    /// <summary>Applies the queued removals now, so search forgets the articles without waiting for an ingest.</summary>
    private static void CatchUpIndex(Database db)
    {
        using var indexer = new Indexer(db);
        indexer.Prepare();
        indexer.CatchUp();
        indexer.Finish();
    }

    /// <summary>The permalink a target names: itself, or a site URL's <c>/a/{permalink}</c>; null for anything else (an original URL).</summary>
    private static string? PermalinkOf(string target) =>
        Permalink.IsWellFormed(target) ? target
        : SiteLink().Match(target) is { Success: true } m ? m.Groups[1].Value
        : null;

    [GeneratedRegex(@"^https?://[^/]+(?:/[^?#]*)?/a/([0-9a-z]{12})(?:[/?#]|$)")]
    private static partial Regex SiteLink();
}
