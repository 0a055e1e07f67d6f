using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Hardening;
using NewsArchive.Web.Ingest;
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

    [PostgresTheory]
    [InlineData("no such database")]
    [InlineData("closed port")]
    public async Task A_command_on_an_archive_it_cannot_reach_says_why_in_one_line(string what)
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Timeout = 5 };
        if (what == "closed port")
        {
            b.Port = PostgresServer.FreePort();
        }
        else
        {
            b.Database = "no_such_database";
        }
        using var folder = new TempFolder("pg-unreachable");
        var run = await Child.RunAsync(["ingest", folder.Folder("seeds")], TimeSpan.FromSeconds(60),
            env: new Dictionary<string, string> { ["Archive__Postgres"] = b.ConnectionString, ["Archive__Database"] = folder.File("beside.db") });
        Assert.Equal(IngestCommand.Unavailable, run.ExitCode);
        Assert.Contains("cannot use the PostgreSQL archive", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(what == "closed port" ? "connect" : "no_such_database", run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }
}
