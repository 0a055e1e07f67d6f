using System.Diagnostics;
using System.Text;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;

namespace NewsArchive.Tests.Hardening;

/// <summary>
/// Seed files built to exhaust the reader: each is read within a wall-clock bound (generous: the
/// machine is slow and shared) and ends as it should, stored with a note or rejected with a reason.
/// </summary>
public sealed class ReaderBombTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);
    private const string Header = "<!--1718805542000-->\n[T](https://e.com/a)\n------\n";

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    /// <summary>Reads on a thread with a small (1 MiB) stack, so that any recursion left would crash the test run.</summary>
    private static (Article? Article, ParseOutcome Outcome) Read(string file, string name = "x.md")
    {
        (Article?, ParseOutcome) result = default;
        Exception? error = null;
        var sw = Stopwatch.StartNew();
        var t = new Thread(() =>
        {
            try
            {
                result = ArticleReader.Read(Encoding.UTF8.GetBytes(file), name, Now);
            }
            catch (Exception e)
            {
                error = e;
            }
        }, 1 << 20);
        t.Start();
        t.Join();
        Assert.Null(error);
        Assert.True(sw.Elapsed < Bound, $"took {sw.Elapsed}");
        return result;
    }

    private static string FrontMatter(string yaml) => $"---\n{yaml}\n---\n{Header}<p>body</p>";

    public static TheoryData<string, string> YamlBombs() => new()
    {
        { "? *later\n: x\nk: &later v", "aliases" },
        { "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\n? *d\n: y", "anchors" },
        { string.Concat(Enumerable.Range(0, 30).Select(i => $"l{i}: &l{i} [" + (i == 0 ? "lol" : $"*l{i - 1}, *l{i - 1}, *l{i - 1}") + "]\n")), "anchors" },
        { "title: x\ndeep: " + Repeat("[", 10_000), "deeper than 8" },
        { "title: x\ndeep: " + Repeat("{a: ", 10_000), "deeper than 8" },
        { "title: x\n" + string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', 2 * i) + $"k{i}:\n")), "deeper than 8" },
        { "k: &" + new string('a', 60_000) + " v", "anchors" },
        { "? [a, b]\n: c", "plain scalar mapping keys" },
        { "title: a\ntitle: b", "duplicate key" },
        { "x: " + new string('y', 70_000), "larger than 64 KiB" },
        { "list: [" + string.Join(", ", Enumerable.Repeat("a", 20_000)) + "]", "more than 10000 YAML events" },
    };

    [Theory]
    [MemberData(nameof(YamlBombs))]
    public void Yaml_bombs_are_ignored_with_a_note_and_the_header_still_reads(string yaml, string reason)
    {
        var (article, outcome) = Read(FrontMatter(yaml));
        Assert.NotNull(article);
        Assert.Equal("T", article.Title);
        Assert.Contains(outcome.Notes, n => n.StartsWith("front matter ignored: ", StringComparison.Ordinal) && n.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_six_line_bomb_alone_is_skipped_not_a_crash()
    {
        var (article, outcome) = Read("---\n? *later\n: x\nk: &later v\ntitle: t\nfrom: https://e.com/a\n---\n<p>x</p>");
        Assert.Null(article);
        Assert.NotNull(outcome.SkipReason);
        Assert.Contains(outcome.Notes, n => n.Contains("aliases", StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_front_matter_still_gives_every_field()
    {
        var (article, outcome) = Read("---\ntitle: 标题\nfrom: https://e.com/b\ndate: 2024-06-19\nauthor: VOA\ntags: [a, b, a]\ncategories: c d\nother: {x: [1, 2]}\n---\n<p>正文</p>");
        Assert.Equal(("标题", "https://e.com/b", "VOA"), (article!.Title, article.Url, article.Source));
        Assert.Equal(new DateTimeOffset(2024, 6, 19, 0, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Equal(["a", "b", "c", "d"], article.Tags);
        Assert.Empty(outcome.Notes);
    }

    [Fact]
    public void Year_9999_dates_fall_back_instead_of_pinning_an_article_on_top()
    {
        var (fm, _) = Read("---\ntitle: t\nfrom: https://e.com/a\ndate: 9999-12-31\n---\n<p>x</p>", "2024-06-19-x.md");
        Assert.Equal(new DateTimeOffset(2024, 6, 19, 0, 0, 0, TimeSpan.Zero), fm!.Published);
        var (name, _) = Read("---\ntitle: t\nfrom: https://e.com/a\ndate: 9999-12-31\n---\n<p>x</p>", "9999-12-31-x.md");
        Assert.Null(name!.Published);
        var (epoch, _) = Read("---\ndate: 9999-01-01\n---\n<!--NaN-->\n[T](https://e.com/a)\n------\n<p>x</p>");
        Assert.Null(epoch!.Published);
    }

    public static TheoryData<string, int> DeepBodies() => new()
    {
        { Repeat("<div></>", 50_000), 50_000 },
        { Repeat("<div>", 1_000) + Repeat("</x>", 100_000), 1_000 },
        { Repeat("<span><!-- </span> -->", 20_000), 20_000 },
        { Repeat("<div><script></div></script>", 20_000), 20_000 },
        { Repeat("<div><style></div></style>", 20_000), 20_000 },
        { Repeat("<div><b></div>", 20_000), 20_000 },
        { Repeat("<x/>", 50_000), 50_000 },
        { Repeat("<table><td><div>", 10_000), 30_000 },
        { "<svg>" + Repeat("<g>", 50_000), 50_000 },
        { "<svg><style>" + Repeat("<g>", 50_000), 50_000 },
        { "<p>" + string.Concat(Enumerable.Range(0, 2_000).Select(i => $"<b x={i}>")) + Repeat("<p>x", 20_000), 2_000 },
    };

    [Theory]
    [MemberData(nameof(DeepBodies))]
    public void Deep_bodies_are_read_as_text_with_a_note(string body, int nesting)
    {
        Assert.True(nesting > ArticleHtml.MaxDepth);
        var (article, outcome) = Read(Header + body + "<p>尾</p>");
        Assert.Contains(outcome.Notes, n => n.Contains("read as text", StringComparison.Ordinal));
        Assert.Contains("尾", article!.Text);
        Assert.True(ArticleHtml.NestingDepth(article.Html) <= ArticleHtml.MaxDepth);
    }

    [Theory]
    [InlineData(1_000_000)]
    public void Long_lines_of_markup_characters_are_linear(int n)
    {
        var (lt, _) = Read(Header + new string('<', n));
        Assert.NotNull(lt);
        var (a, _) = Read(Header + Repeat("<a", n / 2));
        Assert.NotNull(a);
        var (brackets, outcome) = Read("<!--1718805542000-->\n" + new string('[', n) + "\n------\n");
        Assert.Null(brackets);
        Assert.Contains("title line longer than", outcome.RejectReason);
        var (emphasis, _) = Read("<!--1718805542000-->\n" + Repeat("*_", n / 2) + "\n------\n");
        Assert.Null(emphasis);
    }

    [Fact]
    public void Title_line_at_the_cap_of_brackets_and_emphasis_reads_fast()
    {
        var title = Repeat("[*_", (SeedParser.MaxTitleLine - 40) / 3);
        var (_, outcome) = Read($"<!--1718805542000-->\n[{title}](https://e.com/a)\n------\n");
        Assert.Null(outcome.SkipReason);
    }

    [Fact]
    public void Title_fallback_reads_titles_markdig_refuses()
    {
        var (article, _) = Read("<!--1718805542000-->\n[a [b](c] d](https://e.com/x y)\n------\n");
        Assert.Null(article);
        var (fallback, _) = Read("<!--1718805542000-->\n[a ]( [b](https://e.com/x)\n------\n<p>x</p>");
        Assert.Equal("https://e.com/x", fallback!.Url);
    }

    [Fact]
    public void Huge_fields_are_capped_with_notes()
    {
        var tags = string.Join(", ", Enumerable.Range(0, 80).Select(i => $"t{i}" + new string('x', 150)));
        var (article, outcome) = Read($"---\nauthor: {new string('a', 300)}\ntags: [{tags}]\n---\n<!--1718805542000-->\n[{Repeat("标题", 3_000)}](https://e.com/a)\n------\n<p>{Repeat("字", 1_200_000)}</p>");
        Assert.Equal(ArticleReader.MaxTitle, article!.Title.Length);
        Assert.Equal(ArticleReader.MaxSource, article.Source.Length);
        Assert.Equal(ArticleReader.MaxTags, article.Tags.Count);
        Assert.All(article.Tags, t => Assert.True(t.Length <= ArticleReader.MaxTag));
        Assert.Equal(ArticleHtml.MaxText, article.Text.Length);
        foreach (var note in new[] { "title truncated", "author truncated", "tags over the first", "tags longer than", "text truncated" })
        {
            Assert.Contains(outcome.Notes, n => n.Contains(note, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Truncation_never_splits_a_surrogate_pair()
    {
        var (article, _) = Read($"<!--1718805542000-->\n[{Repeat("😀", 800)}](https://e.com/a)\n------\n");
        Assert.Equal(ArticleReader.MaxTitle, article!.Title.Length);
        Assert.False(char.IsHighSurrogate(article.Title[^1]));
    }

    [Fact]
    public void Long_urls_are_rejected()
    {
        var (article, outcome) = Read($"<!--1718805542000-->\n[T](https://e.com/{new string('a', 5_000)})\n------\n");
        Assert.Null(article);
        Assert.Contains("URL longer than", outcome.RejectReason);
    }

    [Fact]
    public void Text_that_nfkc_expands_is_indexed_up_to_the_cap()
    {
        var (article, _) = Read(Header + "<p>" + new string('\uFDFA', 500_000) + "</p>");
        Assert.NotNull(article);
        // The ingest's parser threads build the index document (Ingest/Ingester.Parse.cs).
        var notes = new List<string>();
        NewsArchive.Web.Search.IndexDocument.WithContentHash(article, notes);
        Assert.Contains(notes, n => n.Contains("folded text", StringComparison.Ordinal));
    }

    [Fact]
    public void Control_characters_are_stripped_everywhere()
    {
        const string junk = "\u0001\u0008\u000B\u001F\uFFFE\uFFFF";
        var (article, _) = Read($"---\nauthor: \"A{junk}B\"\ntags: [\"t{junk}\"]\n---\n<!--1718805542000-->\n[T{junk}&#1;](https://e.com/a)\n------\n<p title=\"x&#2;\">a{junk}&#3;&#xD800;b</p>");
        foreach (var s in new[] { article!.Title, article.Source, article.Text, article.Excerpt, article.Html }.Concat(article.Tags))
        {
            Assert.DoesNotContain(s, c => c < ' ' && c is not '\t' and not '\n' and not '\r' || c is '\uFFFE' or '\uFFFF' || char.IsSurrogate(c));
        }
        Assert.Equal(("T", "AB", "t"), (article.Title, article.Source, article.Tags[0]));
        System.Xml.Linq.XElement.Parse($"<x t=\"{System.Security.SecurityElement.Escape(article.Title)}\">{System.Security.SecurityElement.Escape(article.Text)}</x>");
    }

    [Fact]
    public void Only_the_attributes_an_article_needs_are_kept()
    {
        var (article, _) = Read(Header + "<p name=copy accesskey=c contenteditable draggable=true spellcheck=true autofocus popover tabindex=1 inert form=f formaction=x id=i class=c style=color:red lang=zh dir=rtl title=t>x</p><a href=https://e.com/ name=n>y</a><img src=https://e.com/i.png alt=a>");
        var html = article!.Html;
        foreach (var attr in new[] { "name=", "accesskey", "contenteditable", "draggable", "spellcheck", "autofocus", "popover", "tabindex", "inert", "form", "id=", "class=", "style=" })
        {
            Assert.DoesNotContain(attr, html);
        }
        foreach (var kept in new[] { "lang=\"zh\"", "dir=\"rtl\"", "title=\"t\"", "href=\"https://e.com/\"", "rel=\"noopener noreferrer nofollow\"", "alt=\"a\"", "loading=\"lazy\"" })
        {
            Assert.Contains(kept, html);
        }
    }

    [Fact]
    public void A_parse_past_its_budget_is_abandoned()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + Repeat("<p>段落</p>", 10_000));
        var e = Assert.Throws<ParseBudgetExceededException>(() => ArticleReader.Read(bytes, "x.md", Now, TimeSpan.Zero));
        Assert.Contains("parse took longer than", e.Message);
        Assert.NotNull(ArticleReader.Read(bytes, "x.md", Now).Article);
    }

    [Fact]
    public void The_budget_is_checked_while_angle_sharp_builds_the_tree()
    {
        var budget = new ParseBudget(TimeSpan.Zero);
        using var scope = budget.Enter();
        Assert.Throws<ParseBudgetExceededException>(() => new AngleSharp.Html.Parser.HtmlParser(new AngleSharp.Html.Parser.HtmlParserOptions
        {
            OnToken = (_, _) => ParseBudget.Current?.Check(),
        }).ParseDocument("<p>x</p>"));
    }

    [CorpusFact]
    public void No_dev_article_is_flattened_or_capped()
    {
        foreach (var path in Directory.EnumerateFiles(TestData.DevCorpus, "*", SearchOption.AllDirectories))
        {
            var (article, outcome) = ArticleReader.Read(File.ReadAllBytes(path), path, Now);
            // The one kind of note a real file may earn: YAML that does not parse, ignored as before.
            Assert.All(outcome.Notes, n => Assert.StartsWith("front matter ignored: not valid YAML", n));
            if (article is not null)
            {
                Assert.True(ArticleHtml.NestingDepth(outcome.Header!.BodyHtml) <= 32, path);
            }
        }
    }
}
