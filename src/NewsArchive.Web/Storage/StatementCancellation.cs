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
    /// Interrupts whatever statement the connection runs when the token fires, from any thread:
    /// sqlite3_interrupt on SQLite; on PostgreSQL, pg_cancel_backend of the connection's server
    /// process, from a connection of its own. A no-op between statements, so callers also check
    /// the token. Dispose it before the connection goes back to the pool.
    /// </summary>
    public static CancellationTokenRegistration Interrupt(DbConnection c, CancellationToken ct)
    {
        if (!ct.CanBeCanceled)
        {
            return default;
        }
        return c switch
        {
            SqliteConnection s => ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(s.Handle)),
            NpgsqlConnection p => ct.Register(CancelBackend, (p.ConnectionString, p.ProcessID)),
            _ => default,
        };
    }

    private static void CancelBackend(object? state)
    {
        var (connectionString, pid) = ((string, int))state!;
        try
        {
            using var other = new NpgsqlConnection(connectionString);
            other.Open();
            using var cmd = new NpgsqlCommand("SELECT pg_cancel_backend(@pid)", other);
            cmd.Parameters.AddWithValue("pid", pid);
            cmd.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server is gone or full: the statement ends with its own timeout.
        }
    }

    /// <summary>Whether a statement failed because <see cref="Interrupt"/> stopped it.</summary>
    public static bool WasInterrupted(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteInterrupted,
        PostgresException p => p.SqlState == PostgresErrorCodes.QueryCanceled,
        _ => false,
    };
}
