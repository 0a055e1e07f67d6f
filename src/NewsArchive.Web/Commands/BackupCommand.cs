using Microsoft.Data.Sqlite;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Commands;

/// <summary>
/// <c>backup &lt;PATH&gt; [--db PATH]</c>: a consistent copy of a running archive, through SQLite's
/// online backup (readers and the ingest go on meanwhile), the articles file first, then the index,
/// then the media folder. The index copy can only be at or behind the articles copy's queue when
/// taken after it; the copy's index is then caught up (or rebuilt, if an ingest pruned the queue
/// in between), so a site started on it needs no work. Exit codes: 0 done, 2 usage error.
/// </summary>
public static class BackupCommand
{
    public static int Run(string target, Database source)
    {
        if (source.IsPostgres)
        {
            Console.Error.WriteLine($"{source.Location} is on PostgreSQL: back it up with pg_dump or pg_basebackup, and the image folder {MediaBlobs.Folder(source)} beside it (docs/scale-out.md)");
            return IngestCommand.Usage;
        }
        if (!File.Exists(source.Path))
        {
            Console.Error.WriteLine($"no archive at {source.Path}");
            return IngestCommand.Usage;
        }
        var copy = new Database(target);
        if (File.Exists(copy.Path) || File.Exists(copy.IndexPath))
        {
            Console.Error.WriteLine($"{copy.Path} exists: a backup never overwrites");
            return IngestCommand.Usage;
        }
        Copy(source.Path, copy.Path);
        Copy(source.IndexPath, copy.IndexPath);
        copy.Migrate();
        using (var indexer = new Indexer(copy))
        {
            indexer.Prepare();
            indexer.CatchUp();
            indexer.Finish();
        }
        var media = CopyFolder(MediaBlobs.Folder(source), MediaBlobs.Folder(copy));
        Console.WriteLine($"backed up {source.Path} to {copy.Path} (and {Path.GetFileName(copy.IndexPath)}, {media} media files)");
        return IngestCommand.Ok;
    }

    private static void Copy(string from, string to)
    {
        using var src = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = from, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString());
        using var dst = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = to, Pooling = false }.ToString());
        src.Open();
        dst.Open();
        src.BackupDatabase(dst);
    }

    /// <summary>Copies the files the copy lacks (media files are named by their content, so one that exists is the same).</summary>
    internal static int CopyFolder(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return 0;
        }
        var copied = 0;
        // Not the fetcher's .tmp files, which it renames once written.
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            var dest = Path.Combine(to, Path.GetRelativePath(from, file));
            if (!File.Exists(dest))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
                File.Copy(file, dest);
                copied++;
            }
        }
        return copied;
    }
}
