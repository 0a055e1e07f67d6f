using System.Data;
using System.Data.Common;

namespace NewsArchive.Web.Storage;

/// <summary>One parameter of an <see cref="IngestBatch"/> statement, typed even when null (PostgreSQL infers nothing from a null).</summary>
public readonly record struct Arg(string Name, object? Value, DbType Type)
{
    public static Arg Of(string name, string? value) => new(name, value, DbType.String);

    public static Arg Of(string name, long? value) => new(name, value, DbType.Int64);

    public static Arg Of(string name, int value) => new(name, value, DbType.Int32);
}

/// <summary>
/// The writes of one transaction (an ingest batch), each statement prepared once and run again with
/// new values: SQLite prepares a statement each time a new command runs it, and for the ingest's
/// statements (the articles insert compiles the takedown triggers) preparing cost more than running
/// (docs/benchmarks.md, eleventh session). The same commands on both backends: Npgsql prepares them
/// as well. A store method called with a connection and transaction makes a batch of one call.
/// </summary>
public sealed class IngestBatch(DbConnection c, DbTransaction? tx) : IDisposable
{
    // Keyed by the statement's text: each call site passes the same text and the same parameters in the same order.
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbConnection Connection => c;

    /// <summary>The batch's transaction, for the rarer statements run on their own.</summary>
    public DbTransaction Transaction => tx ?? throw new InvalidOperationException("a batch outside a transaction");

    /// <summary>Tag ids by folded name, looked up or recorded in this batch (Storage/TagStore.cs); forgotten with a rolled-back file.</summary>
    internal Dictionary<string, long> TagIds { get; } = new(StringComparer.Ordinal);

    /// <summary>A savepoint for one file's writes.</summary>
    public void Save() => Transaction.Save("file");

    public void Release() => Transaction.Release("file");

    /// <summary>Undoes the file's writes since <see cref="Save"/> (the savepoint stays, to be released).</summary>
    public void RollBack()
    {
        Transaction.Rollback("file");
        // What the file recorded is gone with it.
        TagIds.Clear();
    }

    public int Execute(string sql, params Arg[] args) => Command(sql, args).ExecuteNonQuery();

    /// <summary>The first column of the first row as a number; null for none or NULL.</summary>
    public long? Number(string sql, params Arg[] args) => Command(sql, args).ExecuteScalar() is { } v and not DBNull ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    public DbDataReader Reader(string sql, params Arg[] args) => Command(sql, args).ExecuteReader();

    private DbCommand Command(string sql, Arg[] args)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = c.CreateCommand();
            command.CommandText = sql;
            command.Transaction = tx;
            foreach (var a in args)
            {
                var p = command.CreateParameter();
                // With its prefix: Microsoft.Data.Sqlite looks a bare name up four times at every run (docs/benchmarks.md).
                p.ParameterName = "@" + a.Name;
                p.DbType = a.Type;
                command.Parameters.Add(p);
            }
            _commands.Add(sql, command);
        }
        for (var i = 0; i < args.Length; i++)
        {
            var p = command.Parameters[i];
            if (!p.ParameterName.AsSpan(1).SequenceEqual(args[i].Name))
            {
                throw new InvalidOperationException($"a statement's parameters in another order: {p.ParameterName}, {args[i].Name}");
            }
            p.Value = args[i].Value ?? DBNull.Value;
        }
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
