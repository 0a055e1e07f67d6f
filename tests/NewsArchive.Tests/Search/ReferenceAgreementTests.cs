using System.Diagnostics;
using System.Text.Json;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Search;

/// <summary>
/// The dev queries against the brute-force reference (shared/eval/truth.py): every result set
/// must contain all the reference's URLs and nothing outside its loose set, with an exact total.
/// </summary>
[Collection(DevCorpusCollection.Name)]
public sealed class ReferenceAgreementTests(DevCorpusDb dev)
{
    private static readonly Lazy<JsonElement> Truth = new(ComputeTruth);

    private static JsonElement ComputeTruth()
    {
        var eval = Path.Combine(TestData.Shared, "eval");
        var output = Path.Combine(TestData.TempDir("truth"), "truth.json");
        var psi = new ProcessStartInfo("python3", [Path.Combine(eval, "truth.py"), TestData.DevCorpus, Path.Combine(eval, "queries-dev.tsv"), output])
        {
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "truth.py failed: " + err);
        return JsonDocument.Parse(File.ReadAllText(output)).RootElement;
    }

    public static TheoryData<string> QueryIds()
    {
        var data = new TheoryData<string>();
        var file = Path.Combine(TestData.Shared, "eval", "queries-dev.tsv");
        if (!File.Exists(file))
        {
            data.Add("(no eval set)");
            return data;
        }
        foreach (var line in File.ReadLines(file).Where(l => l.Length > 0 && l[0] != '#'))
        {
            data.Add(line.Split('\t')[0]);
        }
        return data;
    }

    [CorpusTheory]
    [MemberData(nameof(QueryIds))]
    public async Task Agrees_with_the_reference(string id)
    {
        var t = Truth.Value.GetProperty("queries").GetProperty(id);
        var want = t.GetProperty("urls").EnumerateArray().Select(x => x.GetString()!).ToHashSet();
        var loose = t.GetProperty("loose").EnumerateArray().Select(x => x.GetString()!).ToHashSet();
        var engine = new SearchEngine(dev.Db);
        var query = SearchQuery.Parse(t.GetProperty("q").GetString());
        foreach (var sort in new[] { SearchSort.Relevance, SearchSort.Newest })
        {
            var got = new List<string>();
            long total;
            var page = 1;
            do
            {
                var r = await engine.SearchAsync(new SearchRequest(query, new ArticleFilter(), sort, page++, 100));
                total = r.Total;
                got.AddRange(r.Hits.Select(h => h.Article.Url));
                if (r.Hits.Count == 0)
                {
                    break;
                }
            }
            while (got.Count < total);

            Assert.Equal(got.Count, got.Distinct().Count());
            Assert.Equal(total, got.Count);
            Assert.Empty(want.Except(got));
            Assert.Empty(got.Except(loose));
        }
    }
}
