using NewsArchive.Web.Model;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Reader;

/// <summary>From a seed file's bytes to a stored article: parse, read the HTML, detect language (the ingest tokenizes it for the index).</summary>
public static class ArticleReader
{
    public const int MaxTitle = 1000;
    public const int MaxSource = 200;
    public const int MaxTags = 50;
    public const int MaxTag = 100;

    /// <summary>
    /// The version of what is derived from a stored article's text and tags (its excerpt, its tag
    /// rows): raise it when <see cref="Excerpt"/> or tag folding changes, and the next ingest
    /// derives every older row again (Ingest/Ingester.Rederive.cs).
    /// </summary>
    public const int Derivation = 1;

    /// <summary>
    /// Runs one small read, once per process, outside any budget: a process's first read pays for
    /// loading and compiling the parsers and the sanitizer (seconds on a busy machine), which is no
    /// file's fault, and must not make the first file of every start overrun its parse budget.
    /// </summary>
    public static void WarmUp() => _ = Warm.Value;

    /// <summary>
    /// Starts <see cref="WarmUp"/> on the thread pool, so that it overlaps a start's other work (the
    /// settings, the outlet table, the migrations: on two cores, half a second of an ingest's wall
    /// time, docs/benchmarks.md); <see cref="WarmUp"/> waits for it.
    /// </summary>
    public static void StartWarmUp() => _ = Task.Run(WarmUp);

    private static readonly Lazy<bool> Warm = new(() =>
        Read("---\ntitle: 预热\n---\n<!--0-->\n[预热 warm-up](https://example.invalid/warm-up)\n------\n<p>預熱 <b>warm</b> up</p>\n"u8,
            "warm-up", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(10)).Article is not null);

    /// <summary>
    /// Reads one seed file. Whatever the bytes, the work is bounded (see the caps), and a parse that
    /// still passes <paramref name="budget"/> (default <see cref="ParseBudget.Default"/>) throws
    /// <see cref="ParseBudgetExceededException"/>. The outcome's notes list what was truncated or ignored.
    /// </summary>
    public static (Article? Article, ParseOutcome Outcome) Read(ReadOnlySpan<byte> bytes, string path, DateTimeOffset now, TimeSpan? budget = null)
    {
        var deadline = new ParseBudget(budget ?? ParseBudget.Default);
        var outcome = SeedParser.Parse(bytes, path, now, deadline);
        if (outcome.Header is not { } h)
        {
            return (null, outcome);
        }
        var notes = new List<string>(outcome.Notes);
        var content = ArticleHtml.Process(h.BodyHtml, h.Url, notes, deadline);
        var text = CleanText.StripInvalidXml(content.Text);
        var title = Capped(ArticleHtml.CollapseSpace(CleanText.StripInvalidXml(h.Title)), MaxTitle, "title", notes);
        var derived = h.TitleDerived;
        if (title.Length == 0)
        {
            // Nothing is dropped for a missing title; only a file with no article text is.
            if (text.Length == 0)
            {
                var reason = content.LeadImage is null
                    ? "no article: empty title and empty body"
                    : "no article: empty title and a body of pictures only";
                return (null, ParseOutcome.Reject(reason) with { Notes = notes });
            }
            title = Capped(DerivedTitle.Of(content.SafeHtml, text, h.Url), MaxTitle, "title", notes);
            derived = true;
        }
        if (derived)
        {
            notes.Add("no title: derived from the " + (h.TitleDerived ? "front matter" : "body or the URL"));
        }
        var source = Capped(CleanText.StripInvalidXml(h.Author ?? SourceName(h.Url)), MaxSource, "author", notes);
        var tags = Tags(h.Tags, notes);
        deadline.Check();
        var language = Languages.Detect(title + " " + text);
        var article = new Article(
            Permalink.For(h.Url),
            h.Url,
            title,
            h.Published,
            source,
            language,
            tags,
            Excerpt(title, text),
            content.LeadImage,
            text,
            content.SafeHtml,
            derived);
        deadline.Check();
        return (article, outcome with { Notes = notes });
    }

    private static string Capped(string value, int max, string what, List<string> notes)
    {
        if (value.Length <= max)
        {
            return value;
        }
        notes.Add($"{what} truncated to {max} characters");
        return CleanText.Truncate(value, max).TrimEnd();
    }

    private static List<string> Tags(IReadOnlyList<string> tags, List<string> notes)
    {
        if (tags.Count > MaxTags)
        {
            notes.Add($"{tags.Count - MaxTags} tags over the first {MaxTags} ignored");
        }
        var kept = new List<string>();
        var cut = false;
        foreach (var tag in tags.Take(MaxTags))
        {
            var clean = CleanText.StripInvalidXml(tag);
            if (clean.Length > MaxTag)
            {
                clean = CleanText.Truncate(clean, MaxTag).TrimEnd();
                cut = true;
            }
            if (clean.Length > 0 && !kept.Contains(clean))
            {
                kept.Add(clean);
            }
        }
        if (cut)
        {
            notes.Add($"tags longer than {MaxTag} characters truncated");
        }
        return kept;
    }

    /// <summary>A readable source name from a URL host: www.voachinese.com → voachinese.com.</summary>
    public static string SourceName(string url)
    {
        var host = new Uri(url).Host;
        return host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;
    }

    /// <summary>What lists, feeds and descriptions show of an article: the start of its news (<see cref="NewsText"/>).</summary>
    public static string Excerpt(string title, string text) => Cut(NewsText.Of(title, text), 160);

    /// <summary>At most about <paramref name="max"/> chars, at a space in Latin text, with an ellipsis when cut.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = max;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }
        var space = text.LastIndexOf(' ', cut, 40);
        if (space > max / 2 && Languages.IsMostlyLatin(text.AsSpan(0, cut)))
        {
            cut = space;
        }
        return text[..cut].TrimEnd() + "…";
    }
}
