using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

// Search engine benchmarks over a built database (NEWSARCHIVE_BENCH_DB) and the dev queries
// (NEWSARCHIVE_QUERIES, default ../shared/eval/queries-dev.tsv):
//   dotnet run -c Release --project benchmarks/NewsArchive.Benchmarks -- latency   first-page latency table
//   dotnet run -c Release --project benchmarks/NewsArchive.Benchmarks -- --filter '*'   BenchmarkDotNet
//   dotnet run -c Release --project benchmarks/NewsArchive.Benchmarks -- index-insert   the index writer's bulk load alone
//   dotnet run -c Release --project benchmarks/NewsArchive.Benchmarks -- stories   story threads scored against docs/stories-sample*.tsv (StoryEval)
if (args.Length > 0 && args[0] == "latency")
{
    Latency.Run();
    return;
}
if (args.Length > 0 && args[0] == "stories")
{
    StoryEval.Run(args);
    return;
}
if (args.Length > 0 && args[0] == "index-insert")
{
    IndexInsert.Run();
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
        _engine = new SearchEngine(new Database(BenchData.DbPath), cacheCounts: false);
        _query = SearchQuery.Parse(BenchData.Queries().Single(q => q.Id == Query).Query);
    }

    [Benchmark]
    public async Task<long> FirstPage() => (await _engine.SearchAsync(new SearchRequest(_query, new ArticleFilter(), Sort, 1, 20))).Total;
}

/// <summary>Median and worst of 25 warm runs per query: the figures docs/benchmarks.md quotes.</summary>
public static class Latency
{
    public static void Run()
    {
        var engine = new SearchEngine(new Database(BenchData.DbPath), cacheCounts: false);
        var sorts = new[] { SearchSort.Relevance, SearchSort.Newest };
        // Every query in both sorts first, as a running server has: otherwise the first queries of
        // the second sort run code that tiered compilation has not optimized yet.
        for (var i = 0; i < 3; i++)
        {
            foreach (var (_, q) in BenchData.Queries())
            {
                foreach (var sort in sorts)
                {
                    engine.SearchAsync(new SearchRequest(SearchQuery.Parse(q), new ArticleFilter(), sort, 1, 20)).GetAwaiter().GetResult();
                }
            }
        }
        foreach (var sort in sorts)
        {
            var medians = new List<double>();
            var worst = 0.0;
            Console.WriteLine($"sort={sort}");
            Console.WriteLine("id\tquery\ttotal\tmedian_ms\tmax_ms");
            foreach (var (id, q) in BenchData.Queries())
            {
                var query = SearchQuery.Parse(q);
                var request = new SearchRequest(query, new ArticleFilter(), sort, 1, 20);
                var total = engine.SearchAsync(request).GetAwaiter().GetResult().Total;
                var times = new List<double>();
                for (var i = 0; i < 25; i++)
                {
                    var sw = Stopwatch.StartNew();
                    engine.SearchAsync(request).GetAwaiter().GetResult();
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

/// <summary>
/// The index writer's work alone: the database's articles, tokenized beforehand, inserted into a
/// fresh index file on one thread as the ingest's Indexer does in a bulk load: FTS5's bulk merge
/// policy, the order the ingest meets the files, a transaction per ingest batch of 256, each in
/// sort_key order (the rowid), then the final merge into one segment, timed on its own; 3 rounds.
/// (In sort_key order, the replicated 104k corpus would put the 13 copies of an article in one
/// batch, and FTS5 does much less work for a batch of repeated texts than for the real thing.)
/// </summary>
public static class IndexInsert
{
    public static void Run()
    {
        List<(long Key, IndexDocument Document)> documents;
        using (var c = new Database(BenchData.DbPath).OpenUnpooled())
        {
            documents = Dapper.SqlMapper.Query<(long Key, string Title, string Text, string Language, string Source)>(
                    c, "SELECT sort_key, title, text, language, source FROM articles ORDER BY source_path")
                .Select(a => (a.Key, IndexDocument.Of(a.Title, a.Text, a.Language, a.Source))).ToList();
        }
        var tokens = documents.Sum(d => Count(d.Document.Title) + Count(d.Document.Body));
        Console.WriteLine($"{documents.Count} articles, {tokens / documents.Count} tokens per article");
        for (var round = 1; round <= 3; round++)
        {
            var dir = Directory.CreateTempSubdirectory("index-insert");
            var db = new Database(Path.Combine(dir.FullName, "bench.db"));
            db.Migrate();
            using (var c = db.OpenIndexWriter())
            {
                db.Index.SetMerging(c, bulkLoad: true);
                var sw = Stopwatch.StartNew();
                foreach (var batch in documents.Chunk(256))
                {
                    using var tx = c.BeginTransaction();
                    using var inserter = db.Index.Inserter(c, tx);
                    foreach (var (key, document) in batch.OrderBy(d => d.Key))
                    {
                        inserter.Put(key, document.Row);
                    }
                    tx.Commit();
                }
                var load = sw.Elapsed;
                sw.Restart();
                db.Index.Optimize(c);
                Console.WriteLine($"round {round}: load {load.TotalSeconds:F1} s ({load.TotalMilliseconds * 1000 / documents.Count:F0} µs per article), final merge {sw.Elapsed.TotalSeconds:F1} s");
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    private static int Count(Tokens.Streams s) =>
        s.Words.Count(ch => ch == ' ') + s.Grams.Count(ch => ch == ' ') + s.Unigrams.Count(ch => ch == ' ');
}
