using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NewsArchive.Web.Storage;

/// <summary>Stops database work when a request's token fires: its client left or its time budget is spent.</summary>
public static class StatementCancellation
{
    /// <summary>SQLITE_INTERRUPT: what an interrupted statement fails with.</summary>
    private const int SqliteInterrupted = 9;

    /// <summary>
    /// Interrupts whatever statement the connection runs when the token fires, from any thread and
    /// without blocking it (the budget's token fires on a timer thread): sqlite3_interrupt on
    /// SQLite; on PostgreSQL, pg_cancel_backend of the connection's server process, sent
    /// asynchronously from a connection of its own. A no-op between statements, so callers also
    /// check the token. Dispose it before the connection goes back to the pool.
    /// </summary>
    public static IDisposable Interrupt(DbConnection c, CancellationToken ct)
    {
        if (!ct.CanBeCanceled)
        {
            return NoInterrupt.Instance;
        }
        return c switch
        {
            SqliteConnection s => ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(s.Handle)),
            NpgsqlConnection p => new BackendCancel(p, ct),
            _ => NoInterrupt.Instance,
        };
    }

    /// <summary>Whether a statement failed because <see cref="Interrupt"/> (or the server's statement_timeout) stopped it.</summary>
    public static bool WasInterrupted(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteInterrupted,
        PostgresException p => p.SqlState == PostgresErrorCodes.QueryCanceled,
        _ => false,
    };

    private sealed class NoInterrupt : IDisposable
    {
        public static readonly NoInterrupt Instance = new();

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// Not Npgsql's own cancellation: the stores read through Dapper's synchronous calls, which take
    /// no token, and Npgsql sends its cancel request synchronously on the thread that fires the token.
    /// </summary>
    private sealed class BackendCancel : IDisposable
    {
        /// <summary>Seconds the cancel may take to connect or to run before it is given up: the statement_timeout stops the statement then.</summary>
        private const int Seconds = 5;

        private readonly NpgsqlConnection _connection;
        private readonly int _pid;
        private readonly CancellationTokenRegistration _registration;
        private Task? _sent;

        public BackendCancel(NpgsqlConnection c, CancellationToken ct)
        {
            _connection = c;
            _pid = c.ProcessID;
            _registration = ct.Register(static self => ((BackendCancel)self!).Fire(), this);
        }

        /// <summary>On the thread that fired the token: only queues the cancel.</summary>
        private void Fire() => Volatile.Write(ref _sent, Task.Run(SendAsync));

        private async Task SendAsync()
        {
            try
            {
                // Its own pool (another application name), so that a full reader pool cannot hold it up;
                // CloneWith keeps the password, which the connection string no longer shows.
                var b = new NpgsqlConnectionStringBuilder(_connection.ConnectionString)
                {
                    ApplicationName = "newsarchive cancel",
                    Timeout = Seconds,
                    CommandTimeout = Seconds,
                };
                await using var other = _connection.CloneWith(b.ConnectionString);
                await other.OpenAsync();
                await using var cmd = new NpgsqlCommand("SELECT pg_cancel_backend(@pid)", other);
                cmd.Parameters.AddWithValue("pid", _pid);
                await cmd.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The server is gone or full: the statement ends with its statement_timeout.
            }
        }

        /// <summary>
        /// Waits for a cancel on its way: arriving after the statement, it could stop the connection's
        /// next one, another request's. The statement it stops has already failed, so this is short.
        /// </summary>
        public void Dispose()
        {
            _registration.Dispose();
            Volatile.Read(ref _sent)?.GetAwaiter().GetResult();
        }
    }
}
