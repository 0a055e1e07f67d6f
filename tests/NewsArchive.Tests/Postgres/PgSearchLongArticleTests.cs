using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;
using NewsArchive.Web.Storage.Postgres;

namespace NewsArchive.Tests.Postgres;

public class PgSearchLongArticleTests
{
    private const long Long = 1_000, Short = 2_000;

    /// <summary>
    /// 20,000 words with alpha every 40th (500 times), then "alpha omega" and 北京天安门; 香港记者 first.
    /// Each Latin word is a skip token in the grams too, so both streams are cut many times.
    /// </summary>
    private static string LongBody()
    {
        var sb = new System.Text.StringBuilder("香港记者 ");
        for (var i = 0; i < 20_000; i++)
        {
            sb.Append(i % 40 == 0 ? "alpha " : $"w{i} ");
        }
        return sb.Append("alpha omega 北京天安门").ToString();
    }

    /// <summary>Under GIN (which rechecks rows) and under RUM (which decides phrases in the index), when the server has it.</summary>
    [PostgresTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Finds_phrases_and_boolean_terms_across_the_chunks_of_an_article_past_the_tsvector_limits(bool rum)
    {
        var docs = new[]
        {
            (Long, IndexDocument.Of("A long one", LongBody(), "en", "wire")),
            (Short, IndexDocument.Of("香港 short", "香港 news w5 o'brien c:\\path", "zh-Hans", "wire")),
        };
        using var pg = PgIndex.Open();
        var postgres = new PostgresSearchIndex(rum);
        postgres.Prepare(pg);
        Assert.Equal(rum && PostgresServer.HasRum ? "RUM" : "GIN", postgres.Describe(pg).Kind);
        // SQLite on either run: it is what PostgreSQL must agree with.
        using var folder = new TempFolder("long-article");
        var sqlite = new Database(folder.File("lite.db"));
        sqlite.Migrate();
        using (var tx = pg.BeginTransaction())
        {
            using (var inserter = postgres.Inserter(pg, tx))
            {
                foreach (var (key, d) in docs)
                {
                    inserter.Put(key, d.Row);
                }
            }
            tx.Commit();
        }
        using (var w = sqlite.OpenIndexWriter())
        using (var tx = w.BeginTransaction())
        {
            using (var inserter = sqlite.Index.Inserter(w, tx))
            {
                foreach (var (key, d) in docs)
                {
                    inserter.Put(key, d.Row);
                }
            }
            tx.Commit();
        }
        Assert.True(pg.ExecuteScalar<long>("SELECT count(*) FROM search_chunks WHERE sort_key = @Long", new { Long }) > 2);

        using var lite = sqlite.Open();
        var cases = new (string Query, long[] Keys)[]
        {
            ("\"alpha omega\"", [Long]),
            ("\"omega alpha\"", []),
            ("香港 北京", [Long]),
            ("香港 -北京", [Short]),
            ("香港 -天安门 -news", []),
            ("记者 天安门 w19999 w1", [Long]),
            ("\"w101 w102 w103\"", [Long]),
            ("\"w19998 w19999 alpha omega 北京\"", [Long]),
            ("w5", [Long, Short]),
            ("w5 -w19999", [Short]),
            ("o'brien", [Short]),
            ("c:\\path", [Short]),
            ("long", [Long]),
            ("short 香港", [Short]),
        };
        foreach (var (query, keys) in cases)
        {
            var m = IndexPlan.Of(SearchQuery.Parse(query), new ArticleFilter()).Match!;
            var found = postgres.Newest(pg, m, long.MinValue, long.MaxValue, 10, 0);
            Assert.True(keys.OrderDescending().SequenceEqual(found), $"{query}: {string.Join(',', found)}");
            Assert.Equal(keys.Length, postgres.Count(pg, m, long.MinValue, long.MaxValue));
            Assert.Equal(sqlite.Index.Newest(lite, m, long.MinValue, long.MaxValue, 10, 0), found);
        }
    }
}
