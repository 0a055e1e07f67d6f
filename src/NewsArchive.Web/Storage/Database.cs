using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace NewsArchive.Web.Storage;

/// <summary>Opens connections to the archive's SQLite file and applies the ordered migrations.</summary>
public sealed class Database
{
    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    /// <summary>
    /// A pooled connection. Readers get an 8 MiB page cache each (the pool can hold one per request
    /// in flight); the ingest writer asks for more, since FTS5 merges reread their segments.
    /// </summary>
    public SqliteConnection Open(int cacheMiB = 8)
    {
        var c = new SqliteConnection(ConnectionString);
        c.Open();
        // busy_timeout makes a reader or a second writer wait for the writer instead of failing.
        c.Execute($"PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = {-1024 * cacheMiB};");
        return c;
    }

    /// <summary>Applies every migration newer than PRAGMA user_version, each in its own transaction.</summary>
    public void Migrate()
    {
        using var c = Open();
        c.Execute("PRAGMA journal_mode = WAL;");
        var version = c.ExecuteScalar<long>("PRAGMA user_version");
        foreach (var (number, sql) in Migrations())
        {
            if (number <= version)
            {
                continue;
            }
            using var tx = c.BeginTransaction();
            c.Execute(sql, transaction: tx);
            c.Execute($"PRAGMA user_version = {number}", transaction: tx);
            tx.Commit();
        }
    }

    public static IEnumerable<(int Number, string Sql)> Migrations()
    {
        var asm = Assembly.GetExecutingAssembly();
        const string prefix = "NewsArchive.Web.Storage.Migrations.";
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                using var s = new StreamReader(asm.GetManifestResourceStream(n)!);
                return (int.Parse(n[prefix.Length..].Split('_')[0]), s.ReadToEnd());
            })
            .OrderBy(m => m.Item1);
    }
}
