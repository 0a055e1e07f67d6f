using System.CommandLine;
using Npgsql;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Media;
using NewsArchive.Web.Model;
using NewsArchive.Web.Site;

namespace NewsArchive.Web.Commands;

/// <summary>
/// The commands: none (or only host options such as <c>--urls</c>) or <c>serve</c> starts the site,
/// <c>ingest</c> imports files, <c>takedown</c>/<c>restore</c> remove and bring back articles, <c>status</c> reports; any other word is a usage error. Every command reads the settings
/// the way the site does (<see cref="Configuration"/>).
/// </summary>
public static class ArchiveCommandLine
{
    public static async Task<int> RunAsync(string[] args, Func<string[], int> serve)
    {
        // Host options (--urls, --environment, --Archive:Key=value, what WebApplicationFactory passes)
        // go to the site untouched, as before there were commands.
        if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?" or "--version")))
        {
            return serve(args);
        }
        if (args[0] != "serve")
        {
            // A command runs no site: socket completions may run on the epoll thread, where each of
            // Npgsql's synchronous round trips otherwise hops through a thread-pool worker (an ingest
            // into PostgreSQL 1.3× faster, docs/benchmarks.md). Read once, when the first socket opens.
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }
        var root = new RootCommand("NewsArchive: a self-hosted Chinese/English news archive.");
        root.Subcommands.Add(Serve(serve));
        root.Subcommands.Add(Ingest());
        root.Subcommands.Add(Media());
        root.Subcommands.Add(Takedown());
        root.Subcommands.Add(Restore());
        root.Subcommands.Add(Backup());
        root.Subcommands.Add(Status());
        root.Subcommands.Add(Stories());
        root.Subcommands.Add(MigrateToPostgres());
        root.SetAction(_ => serve([]));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }
            var command = parsed.CommandResult.Command;
            Console.Error.WriteLine(command == root
                ? "commands: " + string.Join(", ", root.Subcommands.Select(c => c.Name)) + " (--help for more)"
                : $"usage: {command.Name} --help");
            return IngestCommand.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (NpgsqlException e)
        {
            // A server that is down or refuses, a database that does not exist: one line, not a stack trace.
            Console.Error.WriteLine($"cannot use the PostgreSQL archive (Archive:Postgres): {e.Message}");
            return IngestCommand.Unavailable;
        }
    }

    private static Command Serve(Func<string[], int> serve)
    {
        var db = DbOption();
        var command = new Command("serve", "Start the site (the default): host options such as --urls http://127.0.0.1:5080 pass through; --db serves the archive `ingest --db` made.")
        {
            db,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        // --db is Archive:Database on the host's command line, as for every other command.
        command.SetAction(parsed => serve([.. parsed.UnmatchedTokens, .. DbArguments(parsed, db)]));
        return command;
    }

    private static Command Ingest()
    {
        var paths = new Argument<string[]>("paths") { Description = "seed files or folders (walked recursively)", Arity = ArgumentArity.OneOrMore };
        // An option the command does not have would otherwise be taken for a path.
        paths.Validators.Add(r =>
        {
            foreach (var t in r.Tokens.Where(t => t.Value.StartsWith("--", StringComparison.Ordinal)))
            {
                r.AddError($"unknown option: {t.Value}");
            }
        });
        var db = DbOption();
        var allowDeletions = new Option<bool>("--allow-deletions")
        {
            Description = "delete the articles of gone files even under a missing or empty folder, or when most of the files under the paths are gone (an unmounted folder looks like that)",
        };
        var noStories = new Option<bool>("--no-stories")
        {
            Description = "leave the new and changed articles unthreaded (a bulk load in parts: the last part's ingest without it, or `stories rebuild`, threads them all)",
        };
        var command = new Command("ingest", "Import seed files into the archive, then exit (0 ok, 2 usage error, 3 some files rejected, 4 the PostgreSQL archive cannot be used).")
        {
            paths, db, allowDeletions, noStories,
        };
        command.SetAction((parsed, _) =>
        {
            // While the settings, the outlet table and the archive's migrations are read.
            Reader.ArticleReader.StartWarmUp();
            var options = Configuration([]);
            return IngestCommand.RunAsync(parsed.GetValue(paths)!, Db(parsed, db), parsed.GetValue(allowDeletions), options.OutletTable(),
                Transliterations.Load(options.Transliterations), stories: !parsed.GetValue(noStories));
        });
        return command;
    }

    private static Command Media()
    {
        var command = new Command("media", "The image store: queue and failures; --retry requeues failures; import <DIR> [--index FILE] feeds it from a local dump (docs/media.md).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        // Its own options and sub-words are read by MediaCommand, with the database from the settings.
        command.SetAction(parsed => MediaCommand.Run([.. parsed.UnmatchedTokens], Configuration([])));
        return command;
    }

    private static Argument<string[]> Targets() =>
        new("targets") { Description = "permalinks, their URLs on this site, or the articles' original URLs", Arity = ArgumentArity.OneOrMore };

    private static Option<string> DbOption() => new("--db") { Description = "the database file (default: Archive:Database)" };

    // --db is Archive:Database given on the command line, resolved like every other setting
    // (Archive:Postgres, when set, names the archive instead).
    private static Storage.Database Db(ParseResult parsed, Option<string> db) => Storage.Database.For(Configuration(DbArguments(parsed, db)));

    private static string[] DbArguments(ParseResult parsed, Option<string> db) =>
        parsed.GetValue(db) is { } path ? [$"--Archive:Database={path}"] : [];

    private static Command Takedown()
    {
        var (targets, db) = (Targets(), DbOption());
        var reason = new Option<string>("--reason") { Description = "why (kept with the takedown)" };
        var command = new Command("takedown", "Remove articles for good: their permalinks answer 410 Gone and a re-ingest keeps them out (restore undoes it).") { targets, reason, db };
        command.SetAction(parsed => TakedownCommand.Takedown(parsed.GetValue(targets)!, parsed.GetValue(reason), Db(parsed, db),
            Transliterations.Load(Configuration([]).Transliterations)));
        return command;
    }

    private static Command Restore()
    {
        var (targets, db) = (Targets(), DbOption());
        var command = new Command("restore", "Undo takedowns: the articles' files are read again.") { targets, db };
        command.SetAction((parsed, _) =>
        {
            var options = Configuration([]);
            return TakedownCommand.RestoreAsync(parsed.GetValue(targets)!, Db(parsed, db), options.OutletTable(), Transliterations.Load(options.Transliterations));
        });
        return command;
    }

    private static Command Backup()
    {
        var target = new Argument<string>("path") { Description = "the copy's articles file (its index and media folder go beside it)" };
        var db = DbOption();
        var command = new Command("backup", "Copy a running archive consistently (articles, index, media); restore by serving the copy (docs/deploy.md).") { target, db };
        command.SetAction(parsed => BackupCommand.Run(parsed.GetValue(target)!, Db(parsed, db)));
        return command;
    }

    private static Command Status()
    {
        var db = DbOption();
        var json = new Option<bool>("--json") { Description = "print it as JSON" };
        var command = new Command("status", "What the archive holds and how it is doing: articles, ingest runs, rejected files, index lag, media (0 ready, 1 not ready).") { db, json };
        command.SetAction(parsed => StatusCommand.Run(Db(parsed, db), parsed.GetValue(json),
            WebApplication.CreateBuilder([]).Configuration.GetValue<bool>("Archive:Media:Fetch")));
        return command;
    }

    private static Command Stories()
    {
        var db = DbOption();
        var rebuild = new Command("rebuild", "Weigh the terms over the whole archive again and thread every article anew (an existing archive's first threads; docs/stories.md).") { db };
        rebuild.SetAction(parsed =>
        {
            var database = Db(parsed, db);
            database.Migrate();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var changed = new StoryThreading(database, Transliterations.Load(Configuration([]).Transliterations)) { OnProgress = Console.Error.WriteLine }.Rebuild();
            Console.WriteLine($"{changed} articles changed thread in {started.Elapsed.TotalSeconds:0.0} s");
            return 0;
        });
        return new Command("stories", "Story threads: rebuild threads every article again.") { rebuild };
    }

    private static Command MigrateToPostgres()
    {
        var from = new Option<string>("--from") { Description = "the SQLite archive to copy", Required = true };
        var command = new Command("migrate-to-postgres", "Copy a SQLite archive into the empty PostgreSQL archive of Archive:Postgres, keeping every permalink (docs/scale-out.md).") { from };
        command.SetAction(parsed => MigrateCommand.Run(parsed.GetValue(from)!, Storage.Database.For(Configuration([]))));
        return command;
    }

    /// <summary>The site's configuration (appsettings.json, environment, these arguments) and content root.</summary>
    public static ArchiveOptions Configuration(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        return ArchivePaths.Read(builder.Configuration, builder.Environment);
    }
}
