using System.Text;
using NewsArchive.Web.Model;

namespace NewsArchive.Tests.Hardening;

/// <summary>
/// Writes seed files built to exhaust the ingest (issue #15's classes: YAML alias, anchor and nesting
/// bombs; end tags the tokenizer or the tree builder ignores; floods of unclosed tags; lines that
/// make a backtracking regex quadratic; text NFKC expands; huge fields; control characters;
/// far-future dates; files that are not regular files), mixed with good articles. Each file says
/// whether it must be stored (with bounded fields) or rejected with a reason.
/// </summary>
public static class HostileFiles
{
    /// <summary>Stored (with bounded fields), or not stored and reported with a reason (rejected or skipped).</summary>
    public enum Expect
    {
        Stored,
        Rejected,
    }

    public sealed record Spec(string Name, Expect Expect, string? Url);

    public const string Header = "<!--1700000000000-->\n[{0}]({1})\n------\n";

    /// <summary>Writes the corpus into dir; returns what each file must become.</summary>
    public static List<Spec> Write(string dir, int goodFiles = 40)
    {
        var specs = new List<Spec>();
        void Article(string name, Expect expect, string frontMatter, string title, string body)
        {
            var url = $"https://hostile.example.org/{name}";
            var text = (frontMatter.Length > 0 ? "---\n" + frontMatter + "---\n" : "") + string.Format(Header, title, url) + body;
            File.WriteAllText(Path.Combine(dir, name + ".md"), text);
            specs.Add(new Spec(name, expect, expect == Expect.Stored ? url : null));
        }

        for (var i = 0; i < goodFiles; i++)
        {
            Article($"good-{i:D3}", Expect.Stored, $"author: 好来源{i % 3}\ntags: [新闻, test]\n",
                $"好文章 {i} 香港选举", $"<p>正文 {i}：立法会选举在香港举行。</p><p>Second paragraph {i} about the election.</p>");
        }

        // YAML: an alias used as a key before its anchor (YamlDotNet's representation model recursed forever).
        Article("yaml-alias-before-anchor", Expect.Stored, "? *later\n: x\nk: &later v\n", "yaml 1", "<p>alias before anchor</p>");
        // An alias of aliases used as a key: hashed recursively, exponential.
        var chain = new StringBuilder("a0: &a0 [x, x]\n");
        for (var i = 1; i < 40; i++)
        {
            chain.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n");
        }
        chain.Append("? *a39\n: boom\n");
        Article("yaml-alias-key-chain", Expect.Stored, chain.ToString(), "yaml 2", "<p>alias chain</p>");
        // Billion laughs.
        var laughs = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 12; i++)
        {
            laughs.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        }
        Article("yaml-billion-laughs", Expect.Stored, laughs.ToString(), "yaml 3", "<p>laughs</p>");
        // Nesting without limit: flow sequences, flow mappings, block mappings.
        // Under the size cap, so the depth cap is what stops them; and over it.
        Article("yaml-deep-flow-seq", Expect.Stored, "x: " + new string('[', 20_000) + "\n", "yaml 4", "<p>deep flow</p>");
        Article("yaml-deep-flow-map", Expect.Stored, "x: " + string.Concat(Enumerable.Repeat("{a: ", 5_000)) + "\n", "yaml 5", "<p>deep map</p>");
        Article("yaml-huge-flow-seq", Expect.Stored, "x: " + new string('[', 1_000_000) + "\n", "yaml 7", "<p>huge flow</p>");
        var block = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            block.Append(' ', i).Append("k:\n");
        }
        Article("yaml-deep-block", Expect.Stored, block.ToString(), "yaml 6", "<p>deep block</p>");
        // Front matter alone, with a bomb in it: not an article (skipped), never a crash.
        File.WriteAllText(Path.Combine(dir, "yaml-fm-only-bomb.md"), "---\n? *later\n: x\nk: &later v\ntitle: t\nfrom: https://hostile.example.org/fm\n---\n<p>x</p>\n");
        specs.Add(new Spec("yaml-fm-only-bomb", Expect.Rejected, null));

        // HTML: end tags the tokenizer ignores (</>) or the tree builder ignores (nothing to close).
        Article("html-empty-end-tags", Expect.Stored, "", "html 1", Repeat("<div></>", 50_000) + "<p>after</p>");
        Article("html-unmatched-end-tags", Expect.Stored, "", "html 2", Repeat("<div>", 1_000) + Repeat("</x>", 100_000) + "<p>after</p>");
        Article("html-self-closing-divs", Expect.Stored, "", "html 3", Repeat("<div/>", 50_000) + "<p>after</p>");
        // Active formatting elements reconstructed into every following block.
        Article("html-formatting-flood", Expect.Stored, "", "html 4",
            string.Concat(Enumerable.Range(0, 2_000).Select(i => $"<b x={i}>")) + Repeat("<p>x", 20_000));
        Article("html-unclosed-spans", Expect.Stored, "", "html 5", Repeat("<span>", 200_000) + "text");
        Article("html-table-flood", Expect.Stored, "", "html 6", Repeat("<table><td>", 20_000) + "cell");
        // '<' without '>': quadratic for a tag-stripping regex.
        Article("html-lt-flood", Expect.Stored, "", "html 7", Repeat("<a", 500_000));

        // Title lines that make a backtracking regex or Markdown's bracket matching quadratic.
        Article("title-fallback-backtrack", Expect.Rejected, "", "[" + Repeat("](", 100_000) + "x", "<p>x</p>");
        Article("title-open-brackets", Expect.Rejected, "", Repeat("[", 500_000), "<p>x</p>");
        Article("title-emphasis-flood", Expect.Rejected, "", Repeat("*_", 300_000), "<p>x</p>");
        // Huge fields: truncated and stored.
        Article("title-huge", Expect.Stored, "", Repeat("长标题", 2_000), "<p>huge title</p>");
        Article("tags-huge", Expect.Stored, "tags: [" + string.Join(", ", Enumerable.Range(0, 300).Select(i => "t" + i + new string('x', 150))) + "]\nauthor: " + new string('a', 5_000) + "\n",
            "huge tags", "<p>tags</p>");
        File.WriteAllText(Path.Combine(dir, "url-huge.md"), string.Format(Header, "url huge", "https://hostile.example.org/" + new string('u', 6_000)) + "<p>x</p>");
        specs.Add(new Spec("url-huge", Expect.Rejected, null));
        // NFKC expands U+FDFA 18-fold.
        Article("nfkc-expansion", Expect.Stored, "", "nfkc \uFDFA", "<p>" + new string('\uFDFA', 500_000) + "</p>");
        Article("text-huge", Expect.Stored, "", "text huge", "<p>" + Repeat("的是在了不和有大这 ", 400_000) + "</p>");
        // Control characters: the Atom feed must stay well-formed XML.
        Article("control-chars", Expect.Stored, "author: \"a\\x01b\\x1Fc\"\ntags: [\"t\\x02\"]\n", "ctl\u0001\u0008title\uFFFE",
            "<p>body\u0001\u0002\u000B\u000C\u001F\uFFFF text</p>");
        // Far-future dates from every place a date comes from.
        File.WriteAllText(Path.Combine(dir, "9999-12-31-future.md"), "---\ndate: 9999-12-31\n---\n<!--253402214400000-->\n[future](https://hostile.example.org/future)\n------\n<p>future</p>\n");
        specs.Add(new Spec("9999-12-31-future", Expect.Stored, "https://hostile.example.org/future"));
        File.WriteAllText(Path.Combine(dir, "fm-future.md"), "---\ntitle: fm future\nfrom: https://hostile.example.org/fm-future\ndate: 9000-01-01T00:00:00Z\n---\n<p>fm future</p>\n");
        specs.Add(new Spec("fm-future", Expect.Stored, "https://hostile.example.org/fm-future"));
        // A sparse file over the size cap: never read.
        using (var f = File.Create(Path.Combine(dir, "sparse-huge.md")))
        {
            f.SetLength(64L << 20);
        }
        specs.Add(new Spec("sparse-huge", Expect.Rejected, null));
        return specs;
    }

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();
}
