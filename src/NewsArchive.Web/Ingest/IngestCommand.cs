using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;
using Spectre.Console;

namespace NewsArchive.Web.Ingest;

/// <summary>
/// <c>ingest &lt;DIR or FILE&gt;... [--db PATH]</c> (Commands/ArchiveCommandLine.cs): a bulk import that exits when done.
/// Exit codes: 0 all good, 2 usage error, 3 some files were rejected (named on stderr), 4 the
/// PostgreSQL archive cannot be used (any command: Commands/ArchiveCommandLine.cs).
/// </summary>
public static class IngestCommand
{
    public const int Ok = 0;
    public const int Usage = 2;
    public const int SomeRejected = 3;
    public const int Unavailable = 4;

    /// <summary>Ingests the files and folders into the database; the arguments are parsed by the command line.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> paths, Database db, bool allowDeletions, OutletTable outlets, Transliterations names, bool stories = true)
    {
        foreach (var p in paths.Where(p => !File.Exists(p) && !Directory.Exists(p)))
        {
            Console.Error.WriteLine($"no such file or folder: {p}");
            return Usage;
        }

        db.Migrate();
        Console.Error.WriteLine($"ingesting into {db.Location}");
        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var lastLine = DateTime.UtcNow;
        ProgressTask? bar = null;
        var run = RecordedRun.Start(db, "command");
        var ingester = new Ingester(db)
        {
            Outlets = outlets,
            Names = names,
            Stories = stories,
            OnStoriesProgress = Console.Error.WriteLine,
            OnStoriesFailed = e => Console.Error.WriteLine($"Story threading failed (the next ingest threads these articles): {e}"),
            AllowMassDeletion = allowDeletions,
            OnFile = e =>
            {
                run.Seen(e);
                Console.Error.WriteLine($"{e.Status}: {e.Path}: {e.Reason}");
            },
            OnDeletions = d =>
            {
                run.Seen(d);
                if (d.Refused is not null)
                {
                    Console.Error.WriteLine($"deletions refused: {d.Refused}");
                }
                if (d.Files > 0)
                {
                    Console.Error.WriteLine($"{d.Files} files gone: {d.Removed} articles deleted, {d.Moved} stored again from another of their files");
                }
            },
            OnProgress = s =>
            {
                if (bar is not null)
                {
                    bar.Value = s.Processed;
                    bar.MaxValue = Math.Max(s.Seen, 1);
                }
                else if (DateTime.UtcNow - lastLine > TimeSpan.FromSeconds(2))
                {
                    lastLine = DateTime.UtcNow;
                    Console.WriteLine($"… {s.Processed} files: {s}");
                }
            },
            OnMerge = () =>
            {
                if (bar is not null)
                {
                    bar.Description = "merging the index";
                }
                else
                {
                    Console.WriteLine("merging the search index into one segment…");
                }
            },
        };

        IngestSummary summary;
        if (interactive)
        {
            summary = await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                bar = ctx.AddTask("ingest", maxValue: 1);
                var r = await run.Of(ingester.RunAsync(paths));
                bar.Value = bar.MaxValue;
                return r;
            });
        }
        else
        {
            summary = await run.Of(ingester.RunAsync(paths));
        }
        var rate = summary.Elapsed.TotalSeconds > 0 ? summary.Processed / summary.Elapsed.TotalSeconds : 0;
        Console.WriteLine($"done in {summary.Elapsed.TotalSeconds:F1} s ({rate:F0} files/s): {summary}");
        return summary.Rejected > 0 ? SomeRejected : Ok;
    }
}
