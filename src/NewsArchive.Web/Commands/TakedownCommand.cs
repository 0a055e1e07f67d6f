using System.Text.RegularExpressions;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Commands;

/// <summary>
/// <c>takedown &lt;permalink or URL&gt;... [--reason TEXT]</c> removes articles for good (their
/// permalinks answer 410, a re-ingest keeps them out); <c>restore</c> undoes it and reads the
/// article's file again. Exit codes: 0 done, 1 some target not found (the others are done).
/// A running site notices the change on its next request (Site/ConditionalGets.cs).
/// </summary>
public static partial class TakedownCommand
{
    public const int NotFound = 1;

    public static int Takedown(IReadOnlyList<string> targets, string? reason, Database db)
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
                    var gone = TakedownStore.Find(c, PermalinkOf(target) ?? target, tx);
                    Console.Error.WriteLine(gone is null ? $"no article: {target}" : $"already taken down: {target} ({gone.Url})");
                    status = gone is null ? NotFound : status;
                    continue;
                }
                var url = row?.Url ?? target;
                TakedownStore.Add(c, new Takedown(Permalink.For(url), url, existing.SourcePath, reason, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), tx);
                tx.Commit();
                Console.WriteLine($"taken down: {Permalink.For(url)} {url}");
            }
        }
        CatchUpIndex(db);
        return status;
    }

    public static async Task<int> RestoreAsync(IReadOnlyList<string> targets, Database db)
    {
        db.Migrate();
        var status = IngestCommand.Ok;
        var files = new List<string>();
        using (var c = db.OpenArticles())
        {
            foreach (var target in targets)
            {
                using var tx = c.BeginTransaction();
                if (TakedownStore.Find(c, PermalinkOf(target) ?? target, tx) is not { } t)
                {
                    Console.Error.WriteLine($"not taken down: {target}");
                    status = NotFound;
                    continue;
                }
                TakedownStore.Remove(c, t.Permalink, tx);
                tx.Commit();
                Console.WriteLine($"restored: {t.Permalink} {t.Url}");
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
            Console.WriteLine(await new Ingester(db).RunAsync(files));
        }
        return status;
    }

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
