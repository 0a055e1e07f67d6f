using System.Text.Json;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

public sealed partial class Ingester
{
    /// <summary>
    /// Derives the excerpt and the tag rows again of the rows an earlier version stored (below
    /// <see cref="ArticleReader.Derivation"/>), from their stored title, text and tags, a batch per
    /// transaction: a kill loses nothing, and the next run goes on from the rows not yet done.
    /// Returns how many rows were derived again.
    /// </summary>
    private int Rederive()
    {
        using var c = _db.OpenArticles();
        var done = 0;
        while (true)
        {
            using var tx = c.BeginTransaction();
            using var b = new IngestBatch(c, tx);
            var rows = ArticleStore.Underived(c, BatchSize, tx);
            if (rows.Count == 0)
            {
                return done;
            }
            foreach (var (id, sortKey, title, text, tags) in rows)
            {
                ArticleStore.SetDerived(c, id, ArticleReader.Excerpt(title, text), tx);
                TagStore.Set(b, id, sortKey, JsonSerializer.Deserialize<string[]>(tags) ?? [], replace: true);
            }
            tx.Commit();
            done += rows.Count;
        }
    }
}
