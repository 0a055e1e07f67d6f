using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;

namespace NewsArchive.Tests.Reader;

/// <summary>
/// Golden files: the repo's seeds/ and every input in Golden/ are read as the ingest reads them and
/// compared with Golden/NAME.golden.json. UPDATE_GOLDEN=1 rewrites them (then review the diff).
/// </summary>
public sealed class SeedParserGoldenTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string GoldenDir = Path.Combine(TestData.RepoRoot, "tests", "NewsArchive.Tests", "Reader", "Golden");

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        var inputs = Directory.EnumerateFiles(TestData.Seeds)
            .Concat(Directory.EnumerateFiles(GoldenDir).Where(f => !f.EndsWith(".golden.json", StringComparison.Ordinal)));
        foreach (var f in inputs.Order())
        {
            data.Add(Path.GetRelativePath(TestData.RepoRoot, f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Matches_golden(string name)
    {
        var path = Path.Combine(TestData.RepoRoot, name);
        var (article, outcome) = ArticleReader.Read(File.ReadAllBytes(path), path, Now);
        var actual = JsonSerializer.Serialize(Describe(article, outcome), new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
        var goldenPath = Path.Combine(GoldenDir, Path.GetFileName(path) + ".golden.json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(goldenPath, actual, new UTF8Encoding(false));
        }
        Assert.True(File.Exists(goldenPath), $"missing {goldenPath}: run with UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(goldenPath), actual);
    }

    private static object Describe(Article? a, ParseOutcome o) => a is null
        ? new { skipped = o.SkipReason, rejected = o.RejectReason }
        : new
        {
            a.Permalink,
            a.Url,
            a.Title,
            Published = a.Published?.ToString("O"),
            a.Source,
            a.Language,
            a.Tags,
            a.Excerpt,
            a.LeadImage,
            a.Text,
            a.Html,
        };
}
