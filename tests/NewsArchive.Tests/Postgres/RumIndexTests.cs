using System.Net.Http.Headers;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Postgres;

/// <summary>
/// PostgreSQL's search index is RUM when the server has postgresql-15-rum (a phrase decided in the
/// index) and GIN otherwise or when turned off (a phrase rechecked against each candidate row):
/// the same articles found either way (the newest from RUM's ordered index), the switch made at start in both directions, and the operator told which.
/// </summary>
public sealed class RumIndexTests
{
    [PostgresFact]
    public async Task A_phrase_is_decided_in_the_RUM_index_GIN_rechecks_it_both_find_the_same_and_the_operator_page_says_which()
    {
        using var dir = new TempFolder("rum");
        var seeds = dir.Folder("seeds");
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        SeedWriter.Write(seeds, "a.md", "特朗普抵达北京", "https://example.org/a", "<p>美国总统特朗普今天抵达北京，开始为期三天的访问。</p>", at);
        // Both grams of 特朗普 (特朗, 朗普), never next to each other: GIN's candidate, not a match.
        SeedWriter.Write(seeds, "b.md", "两位客人", "https://example.org/b", "<p>特朗先生和朗普小姐今天在上海见面，谈了很久。</p>", at.AddHours(1));
        var postgres = PostgresServer.NewDatabase("rum");
        var path = dir.File("a.db");

        var gin = new Database(path, postgres, rum: false);
        gin.Migrate();
        await new Ingester(gin).RunAsync([seeds]);
        var (ginKind, ginPlan, ginFound) = Phrase(gin);
        Assert.Equal(new SearchIndexKind("GIN", SearchIndexKind.TurnedOff), ginKind);
        Assert.Contains("Rows Removed by Index Recheck: 1", ginPlan);
        Assert.Single(ginFound);
        var ginNewest = Newest(gin);
        Assert.Equal(2, ginNewest.Count);
        Assert.True(ginNewest[0] > ginNewest[1], "newest first");

        var rum = new Database(path, postgres);
        rum.Migrate();
        var (rumKind, rumPlan, rumFound) = Phrase(rum);
        Assert.Equal(ginFound, rumFound);
        if (!PostgresServer.HasRum)
        {
            Assert.False(TestData.IsCi, "CI's PostgreSQL has postgresql-15-rum (scripts/install-test-deps.sh)");
            Assert.Equal(new SearchIndexKind("GIN", SearchIndexKind.NotInstalled), rumKind);
            return;
        }
        Assert.Equal(new SearchIndexKind("RUM", null), rumKind);
        Assert.Contains("search_chunks_whole_rum", rumPlan);
        Assert.DoesNotContain("Recheck", rumPlan);
        Assert.Equal(ginNewest, Newest(rum));
        Assert.Matches(@"Index Scan using search_chunks_whole_newest on search_chunks[^\n]*\n[^\n]*Index Cond[^\n]*\n[^\n]*Order By: \(sort_key <=\|", NewestPlan(rum));

        Assert.Contains("Search index: RUM.", await OperatorPage(path, postgres, rum: true));
        var turnedOff = await OperatorPage(path, postgres, rum: false);
        Assert.Contains("Search index: GIN.", turnedOff);
        Assert.Contains("RUM is turned off (Archive:PostgresRum=false)", turnedOff);
        Assert.Equal(ginFound, Phrase(gin).Found);
    }

    /// <summary>The index's kind, the plan of search_whole's statement (migration 0002) for 特朗普, and what the app's search finds.</summary>
    private static (SearchIndexKind Kind, string Plan, List<long> Found) Phrase(Database db)
    {
        using var c = db.Open();
        var m = IndexPlan.Of(SearchQuery.Parse("特朗普"), new ArticleFilter()).Match!;
        var args = new DynamicParameters();
        var keys = db.Index.MatchingKeys(m, args);
        using var tx = c.BeginTransaction();
        c.Execute("SET LOCAL enable_seqscan = off", transaction: tx);
        // The phrase in the title's and the body's grams (columns B and E: PostgresSearchIndex.Chunks.cs).
        var plan = string.Join('\n', c.Query<string>("EXPLAIN ANALYZE SELECT sort_key FROM search_chunks WHERE whole AND tsv @@ @q::tsquery",
            new { q = "'B特朗' <-> 'B朗普' | 'E特朗' <-> 'E朗普'" }, tx));
        return (db.Index.Describe(c), plan, c.Query<long>(keys, args, tx).AsList());
    }

    /// <summary>The app's newest page of 今天, in both articles: one lexeme, so under RUM from the ordered index (search_whole_newest: migration 0009).</summary>
    private static List<long> Newest(Database db)
    {
        using var c = db.Open();
        return db.Index.Newest(c, IndexPlan.Of(SearchQuery.Parse("今天"), new ArticleFilter()).Match!, long.MinValue, long.MaxValue, 10, 0);
    }

    /// <summary>
    /// The plan of search_whole_newest's ordered statement under RUM: newest first from the index
    /// (rum_tsvector_addon_ops with sort_key attached), no sort of the matches. Sorting is turned
    /// off: on a table of two rows the planner would rather sort them.
    /// </summary>
    private static string NewestPlan(Database db)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        c.Execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off", transaction: tx);
        return string.Join('\n', c.Query<string>("""
            EXPLAIN SELECT sort_key FROM search_chunks WHERE whole AND chunk = 0 AND tsv @@ @q::tsquery
            ORDER BY sort_key <=| 4503599627370496::bigint LIMIT 10
            """, new { q = "'B今天' | 'E今天'" }, tx));
    }

    private static async Task<string> OperatorPage(string path, string postgres, bool rum)
    {
        using var app = new AppFactory(null, path, settings: new Dictionary<string, string>
        {
            ["Archive:Postgres"] = postgres,
            ["Archive:PostgresRum"] = rum ? "true" : "false",
            ["Archive:OperatorPublic"] = "true",
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        return System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/operator?lang=en"));
    }
}
