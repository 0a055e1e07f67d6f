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
        var migrations = Database.Migrations("NewsArchive.Web.Storage.Migrations.Postgres.").ToList();
        if (migrations.All(m => m.Number != 1))
        {
            // Until the articles migration (0001) lands: what the index's reads join.
            c.Execute("CREATE TABLE articles (sort_key bigint PRIMARY KEY, source text NOT NULL)");
        }
        foreach (var (_, sql) in migrations)
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
        Skip = new PostgresFactAttribute().Skip ?? new CorpusFactAttribute().Skip;
    }
}
