namespace NewsArchive.Web.Ingest;

/// <summary>The ingest's stages as threads of their own (see <see cref="Ingester"/> for why not the thread pool).</summary>
internal static partial class Stages
{
    /// <summary>
    /// Runs a stage on a thread of its own (with a large stack: untrusted HTML may nest very deep).
    /// However it ends, its output ends (ended, if it has one); if it fails, the other stages stop.
    /// </summary>
    public static Task Start(string name, Action run, Action? ended, CancellationTokenSource stop, bool yieldToIndexer = true)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                if (yieldToIndexer)
                {
                    YieldToIndexer();
                }
                run();
                done.SetResult();
            }
            catch (Exception e)
            {
                stop.Cancel();
                done.SetException(e);
            }
            finally
            {
                ended?.Invoke();
            }
        }, maxStackSize: 256 << 20)
        { IsBackground = true, Name = name }.Start();
        return done.Task;
    }

    /// <summary>Waits for every stage; a failure rethrows its cause, not the cancellations it set off in the others.</summary>
    public static async Task WhenAll(IReadOnlyList<Task> stages, CancellationToken ct)
    {
        try
        {
            await Task.WhenAll(stages);
        }
        catch
        {
            var errors = stages.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions);
            var cause = errors.FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }
            ct.ThrowIfCancellationRequested();
            throw;
        }
    }

    /// <summary>
    /// Lowers the calling thread's priority (Linux nice 10). The index writer bounds the ingest and
    /// needs one core to itself; at equal priority the scheduler shared both cores evenly among
    /// the stages, and the index writer waited a fifth of the time (docs/benchmarks.md).
    /// </summary>
    private static void YieldToIndexer()
    {
        const int PrioProcess = 0;
        if (OperatingSystem.IsLinux())
        {
            _ = setpriority(PrioProcess, gettid(), 10);
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial int setpriority(int which, int who, int prio);

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial int gettid();
}
