using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;
using NewsArchive.Web.Storage.Postgres;
using NewsArchive.Web.Storage.Sqlite;
using Npgsql;

namespace NewsArchive.Web.Storage;

/// <summary>
/// The archive's database. By default two SQLite files: the articles (<see cref="Path"/>) and the
/// search index beside it (<see cref="IndexPath"/>). Two files so the ingest can write both at
/// once, one core each (SQLite allows one writer per file); the index is derived data that the
/// ingest keeps in step through the index_queue table (Ingest/Indexer.cs). Readers see both as one
/// database: the index file is attached to every reader connection as the schema "search".
/// With a PostgreSQL connection string (<c>Archive:Postgres</c>) everything is in that database
/// instead, and readers may go to a replica (<c>Archive:PostgresRead</c>); <see cref="Path"/> then
/// only places the files beside it (the image store, the ingest's parse journal).
/// </summary>
public sealed class Database
{
    /// <summary>
    /// Turns off SQLite's memory statistics before SQLite starts: with them on, every allocation
    /// takes one process-wide mutex, which the articles writer and the index writer (FTS5 allocates
    /// per new token) fought over: ingest 1.1-1.3x faster without (docs/benchmarks.md). Nothing
    /// here reads the statistics. Too late (SQLite already started) it is a no-op.
    /// </summary>
    static Database()
    {
        const int SqliteConfigMemStatus = 9;
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SqliteConfigMemStatus, 0);
    }

    private readonly NpgsqlDataSource? _primary;
    private readonly NpgsqlDataSource? _replica;

    /// <param name="readerStatementTimeout">
    /// On PostgreSQL, the server's statement_timeout on reader connections (<see cref="Open"/>):
    /// the backstop when a cancel does not arrive. The writers' statements (ingest, migrations,
    /// copies) may legitimately run long and have none.
    /// </param>
    /// <param name="rum">On PostgreSQL, whether the search index is built with RUM when the server has it (<c>Archive:PostgresRum</c>).</param>
    public Database(string path, string? postgres = null, string? postgresRead = null, TimeSpan? readerStatementTimeout = null, bool rum = true)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        IndexPath = System.IO.Path.ChangeExtension(Path, null) + ".index.db";
        ConnectionString = Connect(Path, pooled: true);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            _primary = Source(postgres, statementTimeout: null);
            // A pool of their own even on the primary: a connection's settings are the pool's.
            _replica = Source(string.IsNullOrWhiteSpace(postgresRead) ? postgres : postgresRead, readerStatementTimeout);
        }
        Index = _primary is null ? new SqliteSearchIndex() : new PostgresSearchIndex(rum);
    }

    /// <summary>The search index of this backend: chosen here, once, with the backend.</summary>
    public ISearchIndex Index { get; }

    /// <summary>
    /// A data source that prepares a statement on the server once it is used twice (unless the
    /// connection string sets Max Auto Prepare): Dapper sends every statement as text, and
    /// PostgreSQL otherwise parses and plans each again, the ingest's dozen per file included.
    /// A statement timeout goes in the startup options: unlike a SET at open, the pool's reset
    /// (DISCARD ALL) keeps it, and it costs no round trip.
    /// </summary>
    private static NpgsqlDataSource Source(string connectionString, TimeSpan? statementTimeout)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (b.MaxAutoPrepare == 0)
        {
            b.MaxAutoPrepare = 256;
            b.AutoPrepareMinUsages = 2;
        }
        if (statementTimeout is { } t)
        {
            b.Options = $"{b.Options} -c statement_timeout={(long)t.TotalMilliseconds}".Trim();
        }
        return NpgsqlDataSource.Create(b);
    }

    /// <summary>The archive the settings name: PostgreSQL when Archive:Postgres is set, else the SQLite file.</summary>
    public static Database For(Model.ArchiveOptions o, TimeSpan? readerStatementTimeout = null) =>
        new(o.Database, o.Postgres, o.PostgresRead, readerStatementTimeout, o.PostgresRum);

    /// <summary>Whether the archive is on PostgreSQL.</summary>
    public bool IsPostgres => _primary is not null;

    /// <summary>Where the archive is, for messages: the SQLite file, or the PostgreSQL host and database.</summary>
    public string Location => _primary is { } p
        ? new NpgsqlConnectionStringBuilder(p.ConnectionString) is var b ? $"postgres://{b.Host}:{b.Port}/{b.Database} (files beside {Path})" : ""
        : Path;

    public string Path { get; }

    public string IndexPath { get; }

    public string ConnectionString { get; }

    /// <summary>
    /// A pooled reader connection with the index attached. Readers get an 8 MiB page cache each
    /// (the pool can hold one per request in flight). On PostgreSQL its statements stop at the
    /// reader statement timeout.
    /// </summary>
    public DbConnection Open() => _replica is { } r ? r.OpenConnection() : Opened(ConnectionString, 8, attachIndex: true);

    /// <summary>A reader that sees every commit at once: on PostgreSQL the primary, never the replica (the ingest reads its own writes).</summary>
    public DbConnection OpenPrimary() => _primary is { } p ? p.OpenConnection() : Open();

    /// <summary>A connection of its own (not pooled) with the index attached, e.g. for checks after another process wrote.</summary>
    public DbConnection OpenUnpooled() => _replica is { } r ? r.OpenConnection() : Opened(Connect(Path, pooled: false), 8, attachIndex: true);

    /// <summary>
    /// The articles file alone, for the ingest. Without the index attached: a write transaction
    /// locks every attached file, and the index has its own writer.
    /// </summary>
    public DbConnection OpenArticles() => _primary is { } p ? p.OpenConnection() : Opened(Connect(Path, pooled: false), 64, attachIndex: false);

    /// <summary>The writer of the index file; FTS5 merges reread their segments, hence the larger cache.</summary>
    public DbConnection OpenIndexWriter() => _primary is { } p ? p.OpenConnection() : Opened(Connect(IndexPath, pooled: false), 64, attachIndex: false);

    private static string Connect(string path, bool pooled) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Pooling = pooled,
        DefaultTimeout = 30,
    }.ToString();

    private SqliteConnection Opened(string connectionString, int cacheMiB, bool attachIndex)
    {
        var c = new SqliteConnection(connectionString);
        c.Open();
        // A pooled connection keeps its settings and the attached index from its last use: one query per request.
        if (attachIndex && c.ExecuteScalar<long>("SELECT count(*) FROM pragma_database_list WHERE name = 'search'") > 0)
        {
            return c;
        }
        // busy_timeout makes a reader or a second writer wait for the writer instead of failing.
        // temp_store in memory: the ingest's savepoint per file keeps its undo pages in a
        // sub-journal, which in a temp file cost a pwrite per page (ingest 12% slower).
        c.Execute($"PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = {-1024 * cacheMiB};");
        if (attachIndex)
        {
            c.Execute("ATTACH DATABASE @IndexPath AS search", new { IndexPath });
            c.Execute($"PRAGMA search.synchronous = NORMAL; PRAGMA search.cache_size = {-1024 * cacheMiB};");
            Bm25.Register(c);
        }
        return c;
    }

    /// <summary>
    /// Applies every migration newer than each file's PRAGMA user_version, each in its own
    /// transaction: Migrations/*.sql to the articles file, Migrations/Index/*.sql to the index file.
    /// </summary>
    public void Migrate()
    {
        if (_primary is { } p)
        {
            using var pg = p.OpenConnection();
            MigratePostgres(pg, Index);
            return;
        }
        using (var c = (SqliteConnection)OpenArticles())
        {
            Apply(c, Migrations("NewsArchive.Web.Storage.Migrations."));
        }
        using (var c = (SqliteConnection)OpenIndexWriter())
        {
            Apply(c, Migrations("NewsArchive.Web.Storage.Migrations.Index."));
        }
    }

    /// <summary>The newest migration of the articles and of the index (one stream on PostgreSQL: both are its number).</summary>
    public (long Articles, long Index) ExpectedVersions => IsPostgres ? NewestPostgres.Value : NewestSqlite.Value;

    private static readonly Lazy<(long, long)> NewestSqlite = new(() => (
        Migrations("NewsArchive.Web.Storage.Migrations.").Max(m => m.Number), Migrations("NewsArchive.Web.Storage.Migrations.Index.").Max(m => m.Number)));

    private static readonly Lazy<(long, long)> NewestPostgres = new(() =>
        Migrations(PostgresMigrations).Max(m => m.Number) is var n ? (n, n) : default);

    private const string PostgresMigrations = "NewsArchive.Web.Storage.Migrations.Postgres.";

    /// <summary>
    /// Migrations/Postgres/*.sql in order, each in its own transaction with its row in
    /// schema_migrations, then the search index's kind as the settings ask and the server allows,
    /// under an advisory lock: nodes starting at once migrate one after the other.
    /// </summary>
    private static void MigratePostgres(DbConnection c, ISearchIndex index)
    {
        const long migrationLock = 0x4e415f4d; // any constant shared by every node of this app
        c.Execute("SELECT pg_advisory_lock(@migrationLock)", new { migrationLock });
        try
        {
            c.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            // Every migration not yet applied, not only those above the highest: an archive that got a
            // later number first (from a build of another branch) still gets the earlier one.
            var applied = c.Query<long>("SELECT version FROM schema_migrations").ToHashSet();
            foreach (var (number, sql) in Migrations(PostgresMigrations).Where(m => !applied.Contains(m.Number)))
            {
                using var tx = c.BeginTransaction();
                c.Execute(sql, transaction: tx);
                c.Execute("INSERT INTO schema_migrations (version) VALUES (@number)", new { number }, tx);
                tx.Commit();
            }
            index.Prepare(c);
        }
        finally
        {
            c.Execute("SELECT pg_advisory_unlock(@migrationLock)", new { migrationLock });
        }
    }

    private static void Apply(SqliteConnection c, IEnumerable<(int Number, string Sql)> migrations)
    {
        // 64 KiB pages for a new file (set before WAL, it cannot change after): a fifth as many
        // system calls and page faults per stored byte, which made the ingest 15-20% faster on
        // this VM, where each of those is expensive (docs/benchmarks.md).
        c.Execute("PRAGMA page_size = 65536; PRAGMA journal_mode = WAL;");
        var version = c.ExecuteScalar<long>("PRAGMA user_version");
        foreach (var (number, sql) in migrations.Where(m => m.Number > version))
        {
            using var tx = c.BeginTransaction();
            c.Execute(sql, transaction: tx);
            c.Execute($"PRAGMA user_version = {number}", transaction: tx);
            tx.Commit();
        }
    }

    /// <summary>The migrations directly under a resource prefix (a deeper folder is another file's), in order.</summary>
    public static IEnumerable<(int Number, string Sql)> Migrations(string prefix)
    {
        var asm = Assembly.GetExecutingAssembly();
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)
                && char.IsAsciiDigit(n[prefix.Length]))
            .Select(n =>
            {
                using var s = new StreamReader(asm.GetManifestResourceStream(n)!);
                return (int.Parse(n[prefix.Length..].Split('_')[0]), s.ReadToEnd());
            })
            .OrderBy(m => m.Item1);
    }
}
