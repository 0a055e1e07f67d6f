namespace NewsArchive.Web.Site;

/// <summary>
/// How long a search (the /search page with its counts, or /api/search) may take before it is
/// abandoned with a 503, counted from the request's arrival: a wait in the limiter's queue is spent from it.
/// </summary>
public static class SearchBudget
{
    public static readonly TimeSpan Time = TimeSpan.FromSeconds(2);

    /// <summary>
    /// PostgreSQL's statement_timeout on the site's reader connections: a little over <see cref="Time"/>,
    /// so the request's own cancel normally comes first and this stops what it missed.
    /// </summary>
    public static readonly TimeSpan StatementTimeout = Time + TimeSpan.FromSeconds(1);

    private static readonly object Key = new();

    /// <summary>Notes the request's arrival (the request limits do, before any queue).</summary>
    public static void Arrived(HttpContext ctx) => ctx.Items.TryAdd(Key, TimeProvider.System.GetTimestamp());

    /// <summary>A token that fires when the client leaves or the <see cref="Time"/> since arrival is spent.</summary>
    public static CancellationTokenSource Start(HttpContext ctx) => Start(ctx, Time);

    /// <summary>The same with a budget of its own (an export streams for longer than a page takes).</summary>
    public static CancellationTokenSource Start(HttpContext ctx, TimeSpan time)
    {
        var spent = ctx.Items.TryGetValue(Key, out var at) && at is long t ? TimeProvider.System.GetElapsedTime(t) : TimeSpan.Zero;
        var budget = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        budget.CancelAfter(spent < time ? time - spent : TimeSpan.Zero);
        return budget;
    }
}
