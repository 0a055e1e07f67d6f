using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Tests.Hardening;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Commands;

/// <summary>The app's commands, run as the built program: usage errors, help, and the settings they read.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("backupz", "x")]
    [InlineData("serv")]
    [InlineData("ingest-all", "seeds")]
    public async Task An_unknown_command_is_a_usage_error_that_lists_the_commands(params string[] args)
    {
        var run = await Child.RunAsync(args, Bound);
        Assert.False(run.TimedOut, "the program did not exit (it started the site?)");
        Assert.Equal(IngestCommand.Usage, run.ExitCode);
        Assert.Contains(args[0], run.Stderr);
        Assert.Contains("ingest", run.Stderr);
        Assert.Contains("serve", run.Stderr);
        Assert.DoesNotContain("Now listening", run.Stdout);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var run = await Child.RunAsync(["--help"], Bound);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ingest", run.Stdout);
        Assert.Contains("serve", run.Stdout);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("ingest", "--no-such-option", ".")]
    [InlineData("ingest", "/no/such/folder")]
    public async Task Bad_ingest_arguments_are_usage_errors(params string[] args)
    {
        var run = await Child.RunAsync(args, Bound);
        Assert.Equal(IngestCommand.Usage, run.ExitCode);
    }

    [Fact]
    public async Task Ingest_reads_the_database_setting_as_the_site_does_and_db_overrides_it()
    {
        using var t = new TempFolder("cmd");
        var seeds = t.Folder("seeds");
        SeedWriter.Write(seeds, "a.md", "标题", "https://example.com/a", "<p>正文</p>", DateTimeOffset.FromUnixTimeSeconds(1_718_805_542));
        var configured = t.File("configured.db");
        var env = new Dictionary<string, string> { ["Archive__Database"] = configured };

        var run = await Child.RunAsync(["ingest", seeds], Bound, env: env);
        Assert.Equal(IngestCommand.Ok, run.ExitCode);
        // On PostgreSQL the path places the files beside the archive (and names its database here: TestBackend).
        Assert.Contains(TestBackend.IsPostgres ? $"(files beside {configured})" : $"ingesting into {configured}", run.Stderr);
        Assert.Equal(1, Articles(configured));

        var given = t.File("given.db");
        var overridden = await Child.RunAsync(["ingest", seeds, "--db", given], Bound, env: env);
        Assert.Equal(IngestCommand.Ok, overridden.ExitCode);
        Assert.Equal(1, Articles(given));
        Assert.Matches(@"done in [\d.]+ s", overridden.Stdout);
    }

    [Fact]
    public async Task A_folder_whose_files_are_all_gone_deletes_nothing_unless_allowed()
    {
        using var t = new TempFolder("cmd");
        var seeds = t.Folder("seeds");
        var db = t.File("a.db");
        SeedWriter.Write(seeds, "a.md", "标题一", "https://example.com/a", "<p>正文一</p>", DateTimeOffset.FromUnixTimeSeconds(1_718_805_542));
        SeedWriter.Write(seeds, "b.md", "标题二", "https://example.com/b", "<p>正文二</p>", DateTimeOffset.FromUnixTimeSeconds(1_718_805_542));
        Assert.Equal(IngestCommand.Ok, (await Child.RunAsync(["ingest", seeds, "--db", db], Bound)).ExitCode);
        Assert.Equal(2, Articles(db));

        // An emptied (or unmounted) folder looks like every article deleted: refused, said, and nothing lost.
        File.Delete(Path.Combine(seeds, "a.md"));
        File.Delete(Path.Combine(seeds, "b.md"));
        var refused = await Child.RunAsync(["ingest", seeds, "--db", db], Bound);
        Assert.Contains("deletions refused", refused.Stderr);
        Assert.Contains("--allow-deletions", refused.Stderr);
        Assert.Equal(2, Articles(db));

        var allowed = await Child.RunAsync(["ingest", seeds, "--db", db, "--allow-deletions"], Bound);
        Assert.Equal(IngestCommand.Ok, allowed.ExitCode);
        Assert.Contains("2 files gone: 2 articles deleted", allowed.Stderr);
        Assert.Equal(0, Articles(db));
    }

    private static long Articles(string dbPath)
    {
        using var c = TestBackend.At(dbPath).OpenUnpooled();
        return c.ExecuteScalar<long>("SELECT count(*) FROM articles");
    }
}
