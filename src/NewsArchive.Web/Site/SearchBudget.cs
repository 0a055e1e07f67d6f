namespace NewsArchive.Web.Site;

/// <summary>How long a search (the /search page with its counts, or /api/search) may take before it is abandoned with a 503.</summary>
public static class SearchBudget
{
    public static readonly TimeSpan Time = TimeSpan.FromSeconds(2);

    /// <summary>
    /// PostgreSQL's statement_timeout on the site's reader connections: a little over <see cref="Time"/>,
    /// so the request's own cancel normally comes first and this stops what it missed.
    /// </summary>
    public static readonly TimeSpan StatementTimeout = Time + TimeSpan.FromSeconds(1);

    /// <summary>A token that fires when the client leaves or the <see cref="Time"/> is spent.</summary>
    public static CancellationTokenSource Start(HttpContext ctx)
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        budget.CancelAfter(Time);
        return budget;
    }
}
