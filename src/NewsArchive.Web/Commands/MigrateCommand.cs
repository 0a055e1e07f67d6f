using Microsoft.Data.Sqlite;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Storage;
using Npgsql;

namespace NewsArchive.Web.Commands;

/// <summary>
/// migrate-to-postgres --from PATH: copies a SQLite archive into the (empty) PostgreSQL archive
/// that Archive:Postgres names, in one transaction, then builds its search index. Every id, sort
/// key and permalink is kept, so every link to the old archive works on the new one; the image
/// folder is copied beside the target's Archive:Database path when that differs.
/// </summary>
public static class MigrateCommand
{
    public static int Run(string from, Database target)
    {
        var source = new Database(from);
        if (!File.Exists(source.Path))
        {
            Console.Error.WriteLine($"no archive at {source.Path}");
            return IngestCommand.Usage;
        }
        if (!target.IsPostgres)
        {
            Console.Error.WriteLine("migrate-to-postgres needs Archive:Postgres (an Npgsql connection string) to name the target");
            return IngestCommand.Usage;
        }
        // Brings the source up to this version's tables first, so both have the same columns.
        source.Migrate();
        target.Migrate();
        using var to = (NpgsqlConnection)target.OpenArticles();
        if (ArchiveCopy.Count(to, "articles") > 0 || ArchiveCopy.Count(to, "source_files") > 0)
        {
            Console.Error.WriteLine($"{target.Location} already holds an archive: migrate-to-postgres copies into an empty one only");
            return IngestCommand.Usage;
        }
        using (var from2 = (SqliteConnection)source.OpenArticles())
        using (var tx = to.BeginTransaction())
        {
            foreach (var table in ArchiveCopy.Tables)
            {
                var n = ArchiveCopy.Copy(from2, to, table, tx);
                Console.Error.WriteLine($"{table}: {n} rows");
            }
            ArchiveCopy.AdvanceSequences(to, tx);
            tx.Commit();
        }
        Console.Error.WriteLine("building the search index");
        using (var indexer = new Indexer(target))
        {
            indexer.Prepare();
            indexer.CatchUp();
            indexer.Finish();
            indexer.PruneQueue();
        }
        var media = BackupCommand.CopyFolder(MediaBlobs.Folder(source), MediaBlobs.Folder(target));
        Console.WriteLine($"migrated {source.Path} to {target.Location} ({media} media files copied)");
        return IngestCommand.Ok;
    }
}
