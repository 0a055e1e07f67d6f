using System.Globalization;

namespace NewsArchive.Tests.Fixtures;

/// <summary>Writes files in the seed format (README "The seed format") from their parts.</summary>
public static class SeedWriter
{
    /// <summary>
    /// Optional front matter (YAML lines, without the --- fences), the publication time as epoch
    /// milliseconds, <c>[title](url)</c>, the <c>------</c> rule and the HTML body. Returns the path.
    /// </summary>
    public static string Write(string dir, string name, string title, string url, string body,
        DateTimeOffset? published = null, string? frontMatter = null)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, Text(title, url, body, published, frontMatter));
        return path;
    }

    public static string Text(string title, string url, string body, DateTimeOffset? published = null, string? frontMatter = null)
    {
        var fm = frontMatter is null ? "" : $"---\n{frontMatter.TrimEnd('\n')}\n---\n";
        var time = published?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "";
        return $"{fm}<!--{time}-->\n[{title.Replace("]", "\\]", StringComparison.Ordinal)}]({url})\n------\n{body}\n";
    }
}
