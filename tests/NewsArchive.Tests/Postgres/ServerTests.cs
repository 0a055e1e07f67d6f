using Dapper;
using NewsArchive.Tests.Fixtures;
using Npgsql;

namespace NewsArchive.Tests.Postgres;

public class ServerTests
{
    [PostgresFact]
    public void The_project_script_starts_a_server_on_loopback_with_databases_of_their_own()
    {
        var a = PostgresServer.NewDatabase();
        var b = PostgresServer.NewDatabase();
        Assert.NotEqual(a, b);
        using var c = new NpgsqlConnection(a);
        c.Open();
        Assert.StartsWith("PostgreSQL 15", c.ExecuteScalar<string>("SELECT version()"));
        Assert.Equal("127.0.0.1/32", c.ExecuteScalar<string>("SELECT inet_server_addr()::text"));
    }
}
