using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace NewsArchive.Tests.Fixtures;

/// <summary>
/// One throwaway PostgreSQL 15 server per test run (scripts/postgres.sh: a cluster in a temporary
/// folder, on a free loopback port), started on first use and stopped when the run ends. Each
/// test gets a database of its own from <see cref="NewDatabase"/>.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Started = new(Start);

    public static bool Available => File.Exists("/usr/lib/postgresql/15/bin/initdb");

    /// <summary>Why a test that needs PostgreSQL is skipped here, or null: under CI=true it must run.</summary>
    public static string? SkipReason => !Available && !TestData.IsCi ? HowToGet : null;

    /// <summary>Whether the server has Debian's postgresql-15-rum (scripts/install-test-deps.sh installs it; the search index is then RUM).</summary>
    public static bool HasRum => File.Exists("/usr/share/postgresql/15/extension/rum.control");

    public const string HowToGet = "PostgreSQL 15 not installed: bash scripts/postgres.sh installs it (apt-get install postgresql-15)";

    /// <summary>The server's connection string, without a database.</summary>
    public static string ConnectionString => Started.Value;

    /// <summary>A new, empty database on the server; its connection string.</summary>
    public static string NewDatabase(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        using (var c = new NpgsqlConnection(ConnectionString + ";Database=postgres"))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
            cmd.ExecuteNonQuery();
        }
        // Tests open many archives: idle pooled connections close within seconds, under the server's limit.
        return ConnectionString + ";Database=" + name + ";Connection Idle Lifetime=3;Connection Pruning Interval=1";
    }

    /// <summary>Runs scripts/postgres.sh with these arguments; its output.</summary>
    public static string Script(params string[] args)
    {
        var p = Process.Start(new ProcessStartInfo("bash", [Path.Combine(TestData.RepoRoot, "scripts", "postgres.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["POSTGRES_FAST"] = "1", ["POSTGRES_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        })!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {string.Join(' ', args)} failed: {error}");
        }
        return output.Trim();
    }

    /// <summary>A free loopback TCP port.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string Start()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"newsarchive-pg-{Environment.ProcessId}");
        var connection = Script("start", dir, FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Script("stop", dir);
            }
            catch (InvalidOperationException)
            {
            }
            TestData.TryDelete(dir);
        };
        return connection;
    }
}

/// <summary>A fact that needs PostgreSQL: skipped without it, except under CI=true where it must run.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresServer.SkipReason;
}

/// <summary>A theory that needs PostgreSQL, as <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = PostgresServer.SkipReason;
}
