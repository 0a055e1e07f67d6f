using System.Text.RegularExpressions;

namespace NewsArchive.Tests.Identity;

/// <summary>
/// Writes a corpus of the variants issue #17 names, from seed files of distinct articles: each
/// article under its own URL and three variants of it (scheme, www., port, trailing slash,
/// fragment, tracking parameters, escape case, web-archive capture, another id with the same
/// title and text); every fifth one also has an untitled sibling with a body of its own (a
/// derived title), and two untitled files hold no article (nothing; a picture only).
/// </summary>
public static partial class VariantCorpus
{
    public sealed record Article(string Url, IReadOnlyList<string> Variants);

    public sealed record Written(int Files, IReadOnlyList<Article> Articles, IReadOnlyList<(string Url, string Word)> Untitled, int NoArticle);

    [GeneratedRegex(@"^\[(.*)\]\((https?://[^)\s]+)\)$", RegexOptions.Multiline)]
    private static partial Regex TitleLine();

    private static readonly Func<string, int, string>[] Variations =
    [
        (u, _) => u.StartsWith("https://", StringComparison.Ordinal) ? "http://" + u[8..] : "https://" + u[7..],
        (u, _) => Regex.Replace(u, @"^(https?://)(?:www\.)?", m => m.Groups[1].Value + "WWW."),
        (u, i) => u + (u.Contains('?') ? "&" : "?") + $"utm_source=feed{i}&utm_medium=rss&fbclid=IwAR{i}",
        (u, _) => u.Contains('?') ? u + "#comments" : u + "/",
        (u, i) => $"https://web.archive.org/web/2019{i % 12 + 1:D2}01000000{(i % 2 == 0 ? "id_" : "")}/{u}",
        (u, _) => Regex.Replace(u, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()) + "#top",
        (u, _) => Regex.Replace(u, @"^(https?://[^/]+)", m => m.Groups[1].Value + (u.StartsWith("https", StringComparison.Ordinal) ? ":443" : ":80")),
        (u, i) => $"https://mirror-{i}.example.net/story.php?id={i}",
    ];

    /// <summary>Writes the variants of <paramref name="seeds"/> (distinct articles in the seed format) into <paramref name="dir"/>.</summary>
    public static Written Write(IReadOnlyList<string> seeds, string dir)
    {
        var articles = new List<Article>();
        var untitled = new List<(string, string)>();
        var files = 0;
        void Put(string name, string text)
        {
            File.WriteAllText(Path.Combine(dir, name), text);
            files++;
        }
        for (var i = 0; i < seeds.Count; i++)
        {
            var text = File.ReadAllText(seeds[i]);
            var line = TitleLine().Match(text);
            var url = line.Groups[2].Value;
            var variants = new List<string>();
            Put($"{i:D5}-0.md", text);
            for (var k = 0; k < 3; k++)
            {
                var v = Variations[(i + k) % Variations.Length](url, i);
                variants.Add(v);
                Put($"{i:D5}-{k + 1}.md", text[..line.Index] + $"[{line.Groups[1].Value}]({v})" + text[(line.Index + line.Length)..]);
            }
            articles.Add(new Article(url, variants));
            if (i % 5 == 0)
            {
                var word = $"untitledword{i}";
                var u = $"https://example.org/untitled/{i}/a-slug-{i}.html";
                Put($"{i:D5}-u.md", $"<!--1718805542000-->\n[]({u})\n------\n<p>{word} 无题的文章{i}。它只有正文，没有标题。</p><p>More text here.</p>\n");
                untitled.Add((u, word));
            }
        }
        Put("empty.md", "<!--1718805542000-->\n[](https://example.org/empty)\n------\n\n");
        Put("picture.md", "<!--1718805542000-->\n[](https://example.org/picture)\n------\n<p><img src=\"https://example.org/p.jpg\"></p>\n");
        return new Written(files, articles, untitled, 2);
    }
}
