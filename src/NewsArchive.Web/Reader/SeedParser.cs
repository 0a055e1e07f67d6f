using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NewsArchive.Web.Reader;

/// <summary>
/// The header of one seed file: what the file says, before the HTML is looked at. An empty title
/// line takes the front matter's title (TitleDerived), or stays empty for the reader to derive one.
/// </summary>
public sealed record SeedHeader(
    string Title,
    string Url,
    DateTimeOffset? Published,
    string? Author,
    IReadOnlyList<string> Tags,
    string BodyHtml,
    bool TitleDerived = false);

/// <summary>
/// What became of a file: an article, not an article (skipped), or broken (rejected); with notes on
/// what was truncated or ignored on the way, for the ingest to report.
/// </summary>
public sealed record ParseOutcome(SeedHeader? Header, string? SkipReason, string? RejectReason)
{
    public IReadOnlyList<string> Notes { get; init; } = [];

    public static ParseOutcome Article(SeedHeader h) => new(h, null, null);
    public static ParseOutcome Skip(string reason) => new(null, reason, null);
    public static ParseOutcome Reject(string reason) => new(null, null, reason);
}

/// <summary>
/// Parses the seed format:
/// optional YAML front matter, then <c>&lt;!--epoch ms--&gt;</c>, <c>[Title](url)</c>, <c>------</c>, HTML body;
/// or front matter alone (title, from: url, date) followed by the HTML body.
/// </summary>
public static partial class SeedParser
{
    private static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().Build();
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // Non-backtracking: the timestamp line is matched against the whole rest of the file.
    [GeneratedRegex(@"\A<!--([^>]*?)-->[ \t]*\n", RegexOptions.NonBacktracking)]
    private static partial Regex TimestampLine();

    [GeneratedRegex(@"\A-{3,}[ \t]*$", RegexOptions.NonBacktracking)]
    private static partial Regex RuleLine();

    /// <summary>Longer title lines are rejected before Markdig sees them (its inline parser is superlinear on '[[[[' or '*_*_').</summary>
    public const int MaxTitleLine = 8192;

    public const int MaxUrl = 4096;

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})")]
    private static partial Regex FileNameDate();

    public static ParseOutcome Parse(ReadOnlySpan<byte> bytes, string fileName, DateTimeOffset now, ParseBudget? budget = null)
    {
        if (bytes.Length == 0)
        {
            return ParseOutcome.Reject("empty file");
        }
        if (bytes.IndexOf((byte)0) >= 0)
        {
            return ParseOutcome.Reject("binary file (contains NUL bytes)");
        }
        var text = Utf8.GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        return Parse(text, fileName, now, budget);
    }

    public static ParseOutcome Parse(string text, string fileName, DateTimeOffset now, ParseBudget? budget = null)
    {
        var front = FrontMatter.Empty;
        string? ignored = null;
        var rest = text;
        if (text.StartsWith("---\n", StringComparison.Ordinal))
        {
            var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
            if (end < 0 && text.EndsWith("\n---", StringComparison.Ordinal))
            {
                end = text.Length - 4;
            }
            if (end < 0)
            {
                return ParseOutcome.Reject("front matter is not closed by a '---' line");
            }
            (front, ignored) = FrontMatter.Read(text.AsMemory(4, end - 3), now, budget);
            rest = end + 5 <= text.Length ? text[(end + 5)..] : "";
        }

        var body = rest.TrimStart(' ', '\t', '\n');
        var ts = TimestampLine().Match(body);
        if (ts.Success)
        {
            var afterTs = body[ts.Length..];
            var titleEnd = afterTs.IndexOf('\n');
            if (titleEnd < 0)
            {
                return ParseOutcome.Reject("truncated: no line after the title");
            }
            if (titleEnd > MaxTitleLine)
            {
                return ParseOutcome.Reject($"title line longer than {MaxTitleLine} characters");
            }
            var titleLine = afterTs[..titleEnd].Trim();
            var afterTitle = afterTs[(titleEnd + 1)..];
            var ruleEnd = afterTitle.IndexOf('\n');
            var ruleLine = ruleEnd < 0 ? afterTitle : afterTitle[..ruleEnd];
            if (!RuleLine().IsMatch(ruleLine))
            {
                return ParseOutcome.Reject("no '------' line after the title line");
            }
            var html = ruleEnd < 0 ? "" : afterTitle[(ruleEnd + 1)..];
            if (!TryReadTitleLine(titleLine, out var title, out var url))
            {
                return ParseOutcome.Reject("title line is not a Markdown link [title](url)");
            }
            var published = FromEpochMs(ts.Groups[1].Value.Trim(), now) ?? front.Date ?? FromFileName(fileName, now);
            return WithNote(Build(title, url, published, front, html), ignored);
        }

        if (front.Title is { Length: > 0 } fmTitle && front.From is { Length: > 0 } fmUrl)
        {
            return WithNote(Build(fmTitle, fmUrl, front.Date ?? FromFileName(fileName, now), front, rest), ignored);
        }
        return WithNote(ParseOutcome.Skip(front.IsEmpty
            ? "not an article: no '<!--time-->' and '[title](url)' header"
            : "not an article: front matter without both 'title' and 'from', and no '[title](url)' header"), ignored);
    }

    private static ParseOutcome WithNote(ParseOutcome o, string? note) => note is null ? o : o with { Notes = [.. o.Notes, note] };

    private static ParseOutcome Build(string title, string url, DateTimeOffset? published, FrontMatter front, string html)
    {
        title = title.Trim();
        url = url.Trim();
        var derived = title.Length == 0;
        if (derived)
        {
            title = front.Title?.Trim() ?? "";
        }
        if (url.Length > MaxUrl)
        {
            return ParseOutcome.Reject($"URL longer than {MaxUrl} characters");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ParseOutcome.Reject($"URL is not an absolute http(s) URL: '{Truncate(url, 200)}'");
        }
        return ParseOutcome.Article(new SeedHeader(title, url, published, front.Author, front.Tags, html, derived));
    }

    /// <summary>Reads <c>[title](url)</c> with Markdig (escapes, entities, nested brackets, parentheses in URLs).</summary>
    internal static bool TryReadTitleLine(string line, out string title, out string url)
    {
        title = url = "";
        if (Markdig.Markdown.Parse(line, Markdown).FirstOrDefault() is ParagraphBlock { Inline: { } inline }
            && inline.FirstChild is LinkInline { IsImage: false } link
            && link.NextSibling is null
            && !string.IsNullOrWhiteSpace(link.Url))
        {
            var sb = new StringBuilder();
            AppendInlineText(sb, link);
            title = sb.ToString();
            url = link.Url;
            return true;
        }
        // Markdig refuses some real titles (unbalanced brackets, spaces in URLs): read them literally,
        // as \A\[(.*)\]\((\S*?)\)[ \t]*$ would, without its quadratic backtracking: the title runs
        // to the last "](", the URL from there to the final ')' and has no white space.
        var trimmed = line.AsSpan().TrimEnd(" \t");
        var open = trimmed.LastIndexOf("](");
        if (!trimmed.StartsWith("[") || !trimmed.EndsWith(")") || open < 1 || open + 2 > trimmed.Length - 1)
        {
            return false;
        }
        var href = trimmed[(open + 2)..^1];
        foreach (var c in href)
        {
            if (char.IsWhiteSpace(c))
            {
                return false;
            }
        }
        title = WebUtility.HtmlDecode(trimmed[1..open].ToString());
        url = href.ToString();
        return true;
    }

    private static void AppendInlineText(StringBuilder sb, ContainerInline container)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline lit:
                    sb.Append(lit.Content);
                    break;
                case HtmlEntityInline entity:
                    sb.Append(entity.Transcoded);
                    break;
                case CodeInline code:
                    sb.Append(code.Content);
                    break;
                case EmphasisInline em:
                    var marks = new string(em.DelimiterChar, em.DelimiterCount);
                    sb.Append(marks);
                    AppendInlineText(sb, em);
                    sb.Append(marks);
                    break;
                case LineBreakInline:
                    sb.Append(' ');
                    break;
                case HtmlInline html:
                    sb.Append(html.Tag);
                    break;
                case ContainerInline inner:
                    AppendInlineText(sb, inner);
                    break;
            }
        }
    }

    /// <summary>Epoch milliseconds when plausible; junk (NaN, empty, seconds, far future) gives null.</summary>
    internal static DateTimeOffset? FromEpochMs(string value, DateTimeOffset now)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            return null;
        }
        try
        {
            return Plausible(DateTimeOffset.FromUnixTimeMilliseconds(ms), now);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    internal static DateTimeOffset? FromFileName(string fileName, DateTimeOffset now)
    {
        var m = FileNameDate().Match(Path.GetFileName(fileName));
        return m.Success && DateTimeOffset.TryParseExact(m.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var d) ? Plausible(d, now) : null;
    }

    /// <summary>Wherever a date comes from, one before 1990 or after now + 2 days is junk: a year-9999 date must not pin an article on top.</summary>
    private static DateTimeOffset? Plausible(DateTimeOffset d, DateTimeOffset now) => d >= Earliest && d <= now.AddDays(2) ? d : null;

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
