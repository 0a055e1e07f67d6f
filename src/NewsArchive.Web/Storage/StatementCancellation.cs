using Microsoft.Data.Sqlite;

namespace NewsArchive.Web.Storage;

/// <summary>Stops SQLite work when a request's token fires: its client left or its time budget is spent.</summary>
public static class StatementCancellation
{
    /// <summary>SQLITE_INTERRUPT: what an interrupted statement fails with.</summary>
    public const int Interrupted = 9;

    /// <summary>
    /// Interrupts whatever statement the connection runs when the token fires (sqlite3_interrupt,
    /// safe from any thread; a no-op between statements, so callers also check the token).
    /// Dispose it before the connection goes back to the pool.
    /// </summary>
    public static CancellationTokenRegistration Interrupt(SqliteConnection c, CancellationToken ct) =>
        ct.CanBeCanceled ? ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(c.Handle)) : default;
}
