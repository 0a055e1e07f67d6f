using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NewsArchive.Web.Reader;

/// <summary>The header of one seed file: what the file says, before the HTML is looked at.</summary>
public sealed record SeedHeader(
    string Title,
    string Url,
    DateTimeOffset? Published,
    string? Author,
    IReadOnlyList<string> Tags,
    string BodyHtml);

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
        if (title.Length == 0)
        {
            return ParseOutcome.Reject("empty title");
        }
        if (url.Length > MaxUrl)
        {
            return ParseOutcome.Reject($"URL longer than {MaxUrl} characters");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ParseOutcome.Reject($"URL is not an absolute http(s) URL: '{Truncate(url, 200)}'");
        }
        return ParseOutcome.Article(new SeedHeader(title, url, published, front.Author, front.Tags, html));
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

    /// <summary>
    /// The YAML front matter fields the archive uses, read from YamlDotNet's parser events in a loop
    /// (no representation model: it recurses, and follows aliases). Aliases, anchors, complex keys,
    /// deep nesting and oversized front matter make it unreadable: it counts as absent, with a note.
    /// </summary>
    private sealed record FrontMatter(string? Title, string? From, DateTimeOffset? Date, string? Author, IReadOnlyList<string> Tags)
    {
        public static readonly FrontMatter Empty = new(null, null, null, null, []);

        public const int MaxChars = 64 * 1024;
        public const int MaxDepth = 8;
        public const int MaxEvents = 10_000;

        private static readonly string[] Fields = ["title", "from", "date", "author", "tags", "categories"];

        public bool IsEmpty => this == Empty;

        public static (FrontMatter Front, string? Ignored) Read(ReadOnlyMemory<char> yaml, DateTimeOffset now, ParseBudget? budget)
        {
            if (yaml.Length > MaxChars)
            {
                return (Empty, $"front matter ignored: larger than {MaxChars / 1024} KiB");
            }
            var values = new Dictionary<string, List<string>?>();
            try
            {
                if (ReadEvents(yaml.ToString(), values, budget) is { } why)
                {
                    return (Empty, "front matter ignored: " + why);
                }
            }
            catch (YamlException e)
            {
                return (Empty, $"front matter ignored: not valid YAML ({e.Start.Line}:{e.Start.Column}: {e.Message})");
            }
            string? Scalar(string key) =>
                !IsSequence(key, values) && values.GetValueOrDefault(key) is [var v] && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
            var tags = new List<string>();
            foreach (var key in new[] { "tags", "categories" })
            {
                IEnumerable<string> items = values.GetValueOrDefault(key) is not { } list ? []
                    : IsSequence(key, values) ? list : list[0].Split(',', ' ');
                foreach (var item in items)
                {
                    var tag = item.Trim();
                    if (tag.Length > 0 && !tags.Contains(tag))
                    {
                        tags.Add(tag);
                    }
                }
            }
            DateTimeOffset? date = DateTimeOffset.TryParse(Scalar("date"), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var d) ? Plausible(d, now) : null;
            return (new FrontMatter(Scalar("title"), Scalar("from"), date, Scalar("author"), tags), null);
        }

        // A sequence is stored with a null marker entry first, so that a one-item sequence is not split like a scalar.
        private static bool IsSequence(string key, Dictionary<string, List<string>?> values) => values.ContainsKey(key + "[]");

        /// <summary>
        /// Collects the top-level scalar values of <see cref="Fields"/> (and the scalar items of a
        /// sequence under them); returns why the front matter is refused, or null.
        /// </summary>
        private static string? ReadEvents(string yaml, Dictionary<string, List<string>?> values, ParseBudget? budget)
        {
            var parser = new Parser(new StringReader(yaml));
            var depth = 0;
            var events = 0;
            var documents = 0;
            var rootIsMapping = false;
            // At depth 1 (the root mapping): whether the next node is a key, and the field it is the value of.
            var expectKey = true;
            string? field = null;
            var seenKeys = new HashSet<string>();
            while (parser.MoveNext())
            {
                if (++events > MaxEvents)
                {
                    return $"more than {MaxEvents} YAML events";
                }
                if ((events & 255) == 0)
                {
                    budget?.Check();
                }
                var e = parser.Current!;
                if (e is AnchorAlias)
                {
                    return "YAML aliases are not accepted";
                }
                if (e is NodeEvent { Anchor.IsEmpty: false })
                {
                    return "YAML anchors are not accepted";
                }
                if (e is DocumentStart)
                {
                    documents++;
                    continue;
                }
                // Only the first document counts, as it did for the representation model.
                var atRoot = depth == 1 && rootIsMapping && documents == 1;
                switch (e)
                {
                    case MappingStart or SequenceStart:
                        if (atRoot && expectKey)
                        {
                            return "only plain scalar mapping keys are accepted";
                        }
                        if (++depth > MaxDepth)
                        {
                            return $"nested deeper than {MaxDepth} levels";
                        }
                        if (depth == 1 && documents == 1)
                        {
                            rootIsMapping = e is MappingStart;
                        }
                        else if (depth == 2 && atRoot && field is not null && e is SequenceStart)
                        {
                            values[field] = [];
                            values[field + "[]"] = null;
                        }
                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        if (depth == 1 && rootIsMapping && documents == 1)
                        {
                            expectKey = true;
                            field = null;
                        }
                        break;
                    case Scalar scalar when atRoot:
                        if (expectKey)
                        {
                            if (!seenKeys.Add(scalar.Value))
                            {
                                return $"duplicate key '{Truncate(scalar.Value, 40)}'";
                            }
                            field = Fields.Contains(scalar.Value) ? scalar.Value : null;
                        }
                        else if (field is not null)
                        {
                            values[field] = [scalar.Value];
                            field = null;
                        }
                        expectKey = !expectKey;
                        break;
                    case Scalar item when depth == 2 && rootIsMapping && documents == 1 && field is not null && values.GetValueOrDefault(field) is { } list:
                        list.Add(item.Value);
                        break;
                }
            }
            if (!rootIsMapping)
            {
                values.Clear();
            }
            return null;
        }
    }
}
