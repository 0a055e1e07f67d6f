using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Storage;
using Npgsql;

namespace NewsArchive.Tests.Postgres;

/// <summary>A fresh PostgreSQL database with the embedded PostgreSQL migrations applied.</summary>
internal static class PgIndex
{
    public static NpgsqlConnection Open()
    {
        var c = new NpgsqlConnection(PostgresServer.NewDatabase("idx"));
        c.Open();
        foreach (var (_, sql) in Database.Migrations("NewsArchive.Web.Storage.Migrations.Postgres."))
        {
            c.Execute(sql);
        }
        return c;
    }
}

/// <summary>A fact over the dev corpus that needs PostgreSQL too.</summary>
public sealed class PostgresCorpusFactAttribute : FactAttribute
{
    public PostgresCorpusFactAttribute()
    {
        // It compares with the SQLite index, which the SQLite run has (on the PostgreSQL run the dev corpus fixture is PostgreSQL too).
        Skip = new PostgresFactAttribute().Skip ?? new CorpusFactAttribute().Skip
            ?? (TestBackend.IsPostgres ? "compares PostgreSQL with the SQLite index: runs on the SQLite run" : null);
    }
}

/// <summary>A fact over the dev corpus about the PostgreSQL run's own archive: skipped on the SQLite run.</summary>
public sealed class PostgresRunCorpusFactAttribute : FactAttribute
{
    public PostgresRunCorpusFactAttribute()
    {
        Skip = !TestBackend.IsPostgres ? "the PostgreSQL run's archive: runs on the PostgreSQL run" : new CorpusFactAttribute().Skip;
    }
}
