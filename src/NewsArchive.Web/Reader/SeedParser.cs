using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.RepresentationModel;

namespace NewsArchive.Web.Reader;

/// <summary>The header of one seed file: what the file says, before the HTML is looked at.</summary>
public sealed record SeedHeader(
    string Title,
    string Url,
    DateTimeOffset? Published,
    string? Author,
    IReadOnlyList<string> Tags,
    string BodyHtml);

/// <summary>What became of a file: an article, not an article (skipped), or broken (rejected).</summary>
public sealed record ParseOutcome(SeedHeader? Header, string? SkipReason, string? RejectReason)
{
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

    [GeneratedRegex(@"\A<!--([^>]*?)-->[ \t]*\n")]
    private static partial Regex TimestampLine();

    [GeneratedRegex(@"\A\[(.*)\]\((\S*?)\)[ \t]*$")]
    private static partial Regex TitleLineFallback();

    [GeneratedRegex(@"\A-{3,}[ \t]*$")]
    private static partial Regex RuleLine();

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})")]
    private static partial Regex FileNameDate();

    public static ParseOutcome Parse(ReadOnlySpan<byte> bytes, string fileName, DateTimeOffset now)
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
        return Parse(text, fileName, now);
    }

    public static ParseOutcome Parse(string text, string fileName, DateTimeOffset now)
    {
        var front = FrontMatter.Empty;
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
            front = FrontMatter.Read(text[4..(end + 1)]);
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
            var published = FromEpochMs(ts.Groups[1].Value.Trim(), now) ?? front.Date ?? FromFileName(fileName);
            return Build(title, url, published, front, html);
        }

        if (front.Title is { Length: > 0 } fmTitle && front.From is { Length: > 0 } fmUrl)
        {
            return Build(fmTitle, fmUrl, front.Date ?? FromFileName(fileName), front, rest);
        }
        return ParseOutcome.Skip(front.IsEmpty
            ? "not an article: no '<!--time-->' and '[title](url)' header"
            : "not an article: front matter without both 'title' and 'from', and no '[title](url)' header");
    }

    private static ParseOutcome Build(string title, string url, DateTimeOffset? published, FrontMatter front, string html)
    {
        title = title.Trim();
        url = url.Trim();
        if (title.Length == 0)
        {
            return ParseOutcome.Reject("empty title");
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
        // Markdig refuses some real titles (unbalanced brackets, spaces in URLs): read them literally.
        var m = TitleLineFallback().Match(line);
        if (!m.Success)
        {
            return false;
        }
        title = WebUtility.HtmlDecode(m.Groups[1].Value);
        url = m.Groups[2].Value;
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
            var t = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return t >= Earliest && t <= now.AddDays(2) ? t : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    internal static DateTimeOffset? FromFileName(string fileName)
    {
        var m = FileNameDate().Match(Path.GetFileName(fileName));
        return m.Success && DateTimeOffset.TryParseExact(m.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var d) && d >= Earliest ? d : null;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    /// <summary>The YAML front matter fields the archive uses; unreadable YAML counts as absent.</summary>
    private sealed record FrontMatter(string? Title, string? From, DateTimeOffset? Date, string? Author, IReadOnlyList<string> Tags)
    {
        public static readonly FrontMatter Empty = new(null, null, null, null, []);

        public bool IsEmpty => this == Empty;

        public static FrontMatter Read(string yaml)
        {
            YamlMappingNode root;
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(yaml));
                if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
                {
                    return Empty;
                }
                root = map;
            }
            catch (YamlDotNet.Core.YamlException)
            {
                return Empty;
            }
            string? Scalar(string key) =>
                root.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value)
                    ? s.Value.Trim() : null;
            var tags = new List<string>();
            foreach (var key in new[] { "tags", "categories" })
            {
                if (root.Children.TryGetValue(new YamlScalarNode(key), out var node))
                {
                    var items = node switch
                    {
                        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(x => x.Value),
                        YamlScalarNode one => (one.Value ?? "").Split(',', ' '),
                        _ => [],
                    };
                    foreach (var item in items)
                    {
                        var tag = item?.Trim();
                        if (!string.IsNullOrEmpty(tag) && !tags.Contains(tag))
                        {
                            tags.Add(tag);
                        }
                    }
                }
            }
            DateTimeOffset? date = DateTimeOffset.TryParse(Scalar("date"), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var d) && d >= Earliest ? d : null;
            return new FrontMatter(Scalar("title"), Scalar("from"), date, Scalar("author"), tags);
        }
    }
}
