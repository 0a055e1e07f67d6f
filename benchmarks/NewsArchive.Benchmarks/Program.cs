using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

// Search engine benchmarks over a built database (NEWSARCHIVE_BENCH_DB) and the dev queries
// (NEWSARCHIVE_QUERIES, default ../shared/eval/queries-dev.tsv):
//   dotnet run -c Release --project benchmarks/NewsArchive.Benchmarks -- latency   first-page latency table
//   dotnet run -c Release --project benchmarks/NewsArchive.Benchmarks -- --filter '*'   BenchmarkDotNet
if (args.Length > 0 && args[0] == "latency")
{
    Latency.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(SearchBenchmarks).Assembly).Run(args);

public static class BenchData
{
    public static string DbPath => Environment.GetEnvironmentVariable("NEWSARCHIVE_BENCH_DB")
        ?? throw new InvalidOperationException("set NEWSARCHIVE_BENCH_DB to a database built by the ingest command");

    public static string QueriesPath => Environment.GetEnvironmentVariable("NEWSARCHIVE_QUERIES")
        ?? Path.GetFullPath(Path.Combine("..", "shared", "eval", "queries-dev.tsv"));

    public static IEnumerable<(string Id, string Query)> Queries() =>
        File.ReadLines(QueriesPath).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).Select(f => (f[0], f[2]));
}

/// <summary>First page (20 results, exact total, snippets) per dev query and sort.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SearchBenchmarks
{
    private SearchEngine _engine = null!;

    public static IEnumerable<string> QueryIds => BenchData.Queries().Select(q => q.Id);

    [ParamsSource(nameof(QueryIds))]
    public string Query { get; set; } = "";

    [Params(SearchSort.Relevance, SearchSort.Newest)]
    public SearchSort Sort { get; set; }

    private SearchQuery _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new SearchEngine(new Database(BenchData.DbPath));
        _query = SearchQuery.Parse(BenchData.Queries().Single(q => q.Id == Query).Query);
    }

    [Benchmark]
    public long FirstPage() => _engine.Search(new SearchRequest(_query, new ArticleFilter(), Sort, 1, 20)).Total;
}

/// <summary>Median and worst of 25 warm runs per query: the figures docs/benchmarks.md quotes.</summary>
public static class Latency
{
    public static void Run()
    {
        var engine = new SearchEngine(new Database(BenchData.DbPath));
        foreach (var sort in new[] { SearchSort.Relevance, SearchSort.Newest })
        {
            var medians = new List<double>();
            var worst = 0.0;
            Console.WriteLine($"sort={sort}");
            Console.WriteLine("id\tquery\ttotal\tmedian_ms\tmax_ms");
            foreach (var (id, q) in BenchData.Queries())
            {
                var query = SearchQuery.Parse(q);
                var request = new SearchRequest(query, new ArticleFilter(), sort, 1, 20);
                var total = engine.Search(request).Total;
                var times = new List<double>();
                for (var i = 0; i < 25; i++)
                {
                    var sw = Stopwatch.StartNew();
                    engine.Search(request);
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                medians.Add(times[times.Count / 2]);
                worst = Math.Max(worst, times[^1]);
                Console.WriteLine($"{id}\t{q}\t{total}\t{times[times.Count / 2]:F2}\t{times[^1]:F2}");
            }
            medians.Sort();
            Console.WriteLine($"sort={sort}: median of medians {medians[medians.Count / 2]:F2} ms, worst median {medians[^1]:F2} ms, worst single run {worst:F2} ms");
        }
    }
}
