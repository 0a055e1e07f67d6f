using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NewsArchive.Web.Storage;

/// <summary>What differs between the two backends' SQL, for the stores: most statements are the same text on both.</summary>
public static class Dialect
{
    public static bool IsPostgres(this DbConnection c) => c is NpgsqlConnection;

    /// <summary>The statement for this connection's backend.</summary>
    public static string Pick(this DbConnection c, string sqlite, string postgres) => c is NpgsqlConnection ? postgres : sqlite;

    /// <summary>
    /// How an ingest's single-row insert begins, where a refused value is undone by the caller anyway
    /// (a file's savepoint, or the batch's rollback): on SQLite OR FAIL, so that a statement that fires
    /// a trigger gets no undo journal of its own (a copy of every 64 KiB page it touches); a single
    /// row is checked before it is written, so a refused one leaves nothing behind either way.
    /// </summary>
    public static string InsertUndoneByCaller(this DbConnection c) => c is NpgsqlConnection ? "INSERT INTO" : "INSERT OR FAIL INTO";

    /// <summary>
    /// "column is one of the list in parameter p": Dapper expands a list into one parameter each for
    /// SQLite, and passes it to PostgreSQL as one array (pass an array).
    /// </summary>
    public static string InList(this DbConnection c, string column, string parameter) =>
        c is NpgsqlConnection ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>
    /// A write the database refused for this file alone (a constraint, a value too big or not
    /// storable): the ingest rolls back to the file's savepoint and rejects the file.
    /// </summary>
    public static bool IsRefusedValue(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode is SqliteConstraint or SqliteTooBig,
        // 22: data exception (e.g. a NUL in text), 23: integrity constraint, 54: program limit exceeded.
        PostgresException p => p.SqlState.StartsWith("22", StringComparison.Ordinal) || p.SqlState.StartsWith("23", StringComparison.Ordinal)
            || p.SqlState.StartsWith("54", StringComparison.Ordinal),
        _ => false,
    };

    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
}
