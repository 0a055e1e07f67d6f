using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>
/// Derives the outlet and byline of the stored articles again when the outlet table or rule is not
/// the one that derived them (an archive from before migration 0011, an operator's new outlet): at
/// the start of every ingest, a batch per transaction, changing only the rows whose outcome
/// changed, so a killed run is finished by the next and a second run changes nothing. A changed
/// outlet changes the article's facet token, so it is queued for the index. Permalinks, URLs and
/// sort keys are never touched.
/// </summary>
public static class OutletAssignment
{
    private const int BatchSize = 1000;

    /// <summary>Brings the archive's outlets up to the table; the ids now in the outlets table.</summary>
    public static HashSet<string> Run(Database db, OutletTable table)
    {
        using var c = db.OpenArticles();
        if (OutletStore.Fingerprint(c) != table.Fingerprint)
        {
            using (var tx = c.BeginTransaction())
            {
                OutletStore.Put(c, table.All, tx);
                tx.Commit();
            }
            for (long after = 0; ;)
            {
                using var tx = c.BeginTransaction();
                var rows = OutletStore.Articles(c, after, BatchSize, tx);
                if (rows.Count == 0)
                {
                    OutletStore.SetFingerprint(c, table.Fingerprint, tx);
                    tx.Commit();
                    break;
                }
                var unlisted = new Dictionary<string, Outlet>();
                foreach (var r in rows)
                {
                    var (outlet, byline) = table.Resolve(r.Url, r.Source);
                    if (outlet.Id == r.Outlet && byline == r.Byline)
                    {
                        continue;
                    }
                    OutletStore.Assign(c, r.Id, outlet.Id, byline, tx);
                    if (table.Find(outlet.Id) is null)
                    {
                        unlisted[outlet.Id] = outlet;
                    }
                    if (outlet.Id != r.Outlet)
                    {
                        IndexQueueStore.Enqueue(c, r.SortKey, put: false, tx);
                        IndexQueueStore.Enqueue(c, r.SortKey, put: true, tx);
                    }
                }
                OutletStore.Put(c, unlisted.Values, tx);
                after = rows[^1].Id;
                tx.Commit();
            }
        }
        return [.. OutletStore.All(c).Keys];
    }
}
