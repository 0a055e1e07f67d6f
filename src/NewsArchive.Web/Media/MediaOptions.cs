namespace NewsArchive.Web.Media;

/// <summary>Configuration section "Archive:Media" (docs/media.md).</summary>
public sealed class MediaOptions
{
    /// <summary>
    /// <c>load</c>: an image not stored (yet) is shown from its origin, as before. <c>click</c>: a
    /// placeholder that fetches it through the archive when the reader asks, and the CSP allows
    /// images from this site only.
    /// </summary>
    public string Remote { get; set; } = "load";

    public bool ClickToLoad => string.Equals(Remote, "click", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>host:port</c> pairs fetched even though they are loopback or private (a local image mirror, the tests).</summary>
    public string[] Allow { get; set; } = [];

    /// <summary>
    /// Whether the archive fetches images from their origins at all (in the background, and on a
    /// click under <c>click</c>). Off by default: a new archive makes no request to any other host
    /// until its operator says so; <c>media import</c> feeds the store without the network.
    /// </summary>
    public bool Fetch { get; set; }

    /// <summary>Fetches at once overall (0: no background fetching).</summary>
    public int Concurrency { get; set; } = 4;

    public int PerHost { get; set; } = 2;

    /// <summary>
    /// Requests to one host per minute, from the worker, readers' loads and retries together: a
    /// minute's worth at once, then one every 60/n seconds (0: no budget, for a local mirror).
    /// </summary>
    public int PerHostPerMinute { get; set; } = 60;

    /// <summary>/media/load requests per client (IPv6 by /64) per minute, after a burst of <see cref="LoadBurst"/>.</summary>
    public int LoadPerMinute { get; set; } = 20;

    public int LoadBurst { get; set; } = 10;

    /// <summary>Per request (each retry and each redirect gets its own).</summary>
    public double TimeoutSeconds { get; set; } = 20;

    public long MaxBytes { get; set; } = 10L << 20;

    /// <summary>Retries of a transient failure within one fetch (HTTP 5xx, 408, 429, a timeout, a reset).</summary>
    public int Retries { get; set; } = 2;

    public int RetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>How often an idle fetcher looks at the queue (the ingest may be another process).</summary>
    public int PollMilliseconds { get; set; } = 2000;

    /// <summary>Fetches of one URL that failed transiently before it waits for <c>media --retry</c>.</summary>
    public int MaxAttempts { get; set; } = 5;

    public string UserAgent { get; set; } = "NewsArchive/1.0 (self-hosted news archive; image copy for offline reading)";
}
