using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Text;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Identity;

/// <summary>
/// The revision threshold's errors on a labelled sample from the dev corpus (docs/identity.md):
/// different articles that look alike (same source, same title, dated within a week, other URL:
/// the ingest's only candidates; one URL is one article whatever its text) must not merge; generated edits of an
/// article (a sentence changed, a paragraph added, a correction note) must.
/// </summary>
public sealed class RevisionThresholdTests(ITestOutputHelper output)
{
    [CorpusFact]
    public void Threshold_errors_on_the_dev_corpus()
    {
        var articles = Directory.EnumerateFiles(TestData.DevCorpus, "*", SearchOption.AllDirectories)
            .Select(p => ArticleReader.Read(File.ReadAllBytes(p), p, DateTimeOffset.UtcNow).Article)
            .OfType<Article>()
            .Where(a => a.Text.Length > 0)
            .ToList();
        // Pairs the ingest compares (same source and title, dated within the window, other URL),
        // and, for the measure alone, each article with its next three in the same source.
        var gated = new List<(Article, Article)>();
        var neighbours = new List<(Article, Article)>();
        bool Different(Article x, Article y) => x.Text != y.Text && UrlIdentity.Key(x.Url) != UrlIdentity.Key(y.Url)
            && (x.Published is not { } p || y.Published is not { } q || (p - q).Duration() <= TextShingles.RevisionWindow);
        foreach (var source in articles.GroupBy(a => a.Source))
        {
            gated.AddRange(source.GroupBy(a => a.Title).SelectMany(t => t.SelectMany((a, i) => t.Skip(i + 1).Select(b => (a, b)))).Where(p => Different(p.a, p.b)));
            var inOrder = source.OrderBy(a => a.Published).ToList();
            neighbours.AddRange(inOrder.SelectMany((a, i) => inOrder.Skip(i + 1).Take(3).Select(b => (a, b))).Where(p => Different(p.a, p.b)));
        }
        List<(Article, Article)> Merged(List<(Article, Article)> pairs) =>
            pairs.Where(p => TextShingles.AreRevisions(Folding.Fold(p.Item1.Text), Folding.Fold(p.Item2.Text))).ToList();
        var merges = Merged(gated);
        var measureMerges = Merged(neighbours);

        const string Note = " Correction: an earlier version of this article gave the wrong date for the meeting. 更正：本文较早版本的会议日期有误。";
        const string Added = " 更新：记者稍后从有关部门获悉，此事仍在进一步调查之中，详细情况将在调查结束后另行公布。 Update: officials said later that the matter was still under investigation and that details would follow.";
        var edits = new List<(string Kind, string Before, string After)>();
        foreach (var a in articles)
        {
            var sentences = a.Text.Split(['。', '.'], StringSplitOptions.RemoveEmptyEntries);
            var changed = sentences.Length < 2 ? a.Text + "。" : a.Text.Replace(sentences[sentences.Length / 2], "此句在更正后改写 this sentence was rewritten", StringComparison.Ordinal);
            edits.Add(("sentence changed", a.Text, changed));
            edits.Add(("paragraph added", a.Text, a.Text + Added));
            edits.Add(("correction note", a.Text, a.Text + Note));
        }
        var misses = edits.Where(e => !TextShingles.AreRevisions(Folding.Fold(e.Before), Folding.Fold(e.After))).ToList();

        output.WriteLine($"threshold {TextShingles.RevisionThreshold}: {gated.Count} same-title pairs, {merges.Count} false merges; " +
            $"{neighbours.Count} neighbour pairs, {measureMerges.Count} merged by the measure alone; " +
            $"{edits.Count} edits, {misses.Count} misses ({string.Join(", ", misses.GroupBy(m => m.Kind).Select(g => $"{g.Key} {g.Count()}"))})");
        foreach (var (x, y) in merges.Concat(measureMerges).Distinct())
        {
            output.WriteLine($"false merge ({TextShingles.Jaccard(TextShingles.Of(Folding.Fold(x.Text)), TextShingles.Of(Folding.Fold(y.Text))):F2}): {x.Url} ~ {y.Url}");
        }
        foreach (var m in misses.Take(10))
        {
            output.WriteLine($"miss ({m.Kind}, {m.Before.Length} chars): {m.Before[..Math.Min(80, m.Before.Length)]}");
        }
        Assert.True(neighbours.Count > 1000, "too few look-alike pairs to measure");
        Assert.True(measureMerges.Count <= neighbours.Count / 200, $"{measureMerges.Count} of {neighbours.Count} neighbours merged");
        // The three left on dev are one page updated day by day (docs/identity.md): at most those.
        Assert.True(merges.Count <= 3, $"{merges.Count} false merges");
        Assert.True(misses.Count <= edits.Count / 50, $"{misses.Count} of {edits.Count} edits missed");
    }
}
