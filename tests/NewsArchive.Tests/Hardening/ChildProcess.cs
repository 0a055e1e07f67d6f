using System.Diagnostics;
using System.Text;
using NewsArchive.Tests.Fixtures;

namespace NewsArchive.Tests.Hardening;

/// <summary>The app's own build (NewsArchive.Web.dll beside the tests) run as a child process.</summary>
public static class Child
{
    public static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "NewsArchive.Web.dll");

    /// <summary>The GC heap the children may use: a leak or an unbounded parse fails instead of swapping.</summary>
    public const long HeapLimit = 1L << 30;

    public sealed record Result(int ExitCode, string Stdout, string Stderr, bool TimedOut, long PeakRssBytes, bool KilledWhileParsing, TimeSpan Elapsed);

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet", [Dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimit.ToString("X");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        // On the PostgreSQL run, the archive a child is given by path is that path's database (unless the test names one).
        var given = args.SkipWhile(a => a != "--db").Skip(1).FirstOrDefault() ?? env?.GetValueOrDefault("Archive__Database");
        if (given is not null && env?.ContainsKey("Archive__Postgres") != true && TestBackend.ConnectionFor(Path.GetFullPath(given, AppContext.BaseDirectory)) is { } postgres)
        {
            psi.Environment["Archive__Postgres"] = postgres;
        }
        return psi;
    }

    /// <summary>
    /// Runs to the end or the bound; with killWhenParsing, SIGKILLs the child once its parse journal
    /// (Ingest/ParseJournal.cs) shows that file being parsed: a real death in the middle of a parse.
    /// </summary>
    public static async Task<Result> RunAsync(string[] args, TimeSpan bound, (string DbPath, string FileName)? killWhenParsing = null,
        IReadOnlyDictionary<string, string>? env = null)
    {
        using var p = new Process { StartInfo = StartInfo(args, env) };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        p.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        long peak = 0;
        bool timedOut = false, killed = false;
        var journal = killWhenParsing is { } k ? $"{k.DbPath}.parsing-{p.Id}" : null;
        while (!p.HasExited)
        {
            peak = Math.Max(peak, PeakRss(p.Id));
            if (journal is not null && JournalNames(journal, killWhenParsing!.Value.FileName))
            {
                p.Kill();
                killed = true;
                break;
            }
            if (watch.Elapsed > bound)
            {
                p.Kill(entireProcessTree: true);
                timedOut = true;
                break;
            }
            await Task.Delay(journal is null ? 50 : 2);
        }
        await p.WaitForExitAsync();
        lock (stderr)
        {
            return new Result(p.ExitCode, stdout.ToString(), stderr.ToString(), timedOut, peak, killed, watch.Elapsed);
        }
    }

    private static bool JournalNames(string journal, string fileName)
    {
        try
        {
            using var f = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[f.Length];
            f.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes).Contains(fileName, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>VmHWM, the peak resident set, from /proc (0 once the process is gone).</summary>
    public static long PeakRss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}

/// <summary>The real web process on a free loopback port; killed (SIGKILL, like a crash) when disposed.</summary>
public sealed class Site : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private Site(Process process) => _process = process;

    public string Url { get; private set; } = "";

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<Site> StartAsync(IReadOnlyDictionary<string, string> env)
    {
        var process = new Process { StartInfo = Child.StartInfo(["--urls", "http://127.0.0.1:0"], env) };
        var site = new Site(process);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (site._log)
            {
                site._log.AppendLine(line);
            }
            const string Marker = "Now listening on: ";
            if (line.Contains(Marker, StringComparison.Ordinal))
            {
                listening.TrySetResult(line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Trim());
            }
        }
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != listening.Task)
        {
            await site.DisposeAsync();
            throw new InvalidOperationException("the site did not start:\n" + site.Log);
        }
        site.Url = listening.Task.Result;
        return site;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
