using Dapper;
using Microsoft.Data.Sqlite;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Search;

/// <summary>
/// rank_bm25 (Storage/Bm25.cs) where its callbacks meet failures and odd calls: a broken index, its
/// query data shared by two calls, more phrases than any search makes, missing arguments. Each
/// query gets an error or FTS5's own bm25, and the process goes on.
/// </summary>
public sealed class Bm25FailureTests : IDisposable
{
    private const string Why = "rank_bm25 is an FTS5 function";
    private const string Weights = "8, 8, 8, 1, 1, 1, 0";
    private readonly TempDatabase _t = new("bm25-failures");

    public Bm25FailureTests()
    {
        using var c = _t.Db.OpenIndexWriter();
        for (var i = 1; i <= 40; i++)
        {
            // Every row has "common"; every third "rare" too, in the title or the body.
            var words = i % 3 == 0 ? "rare common" : "common";
            c.Execute(
                "INSERT INTO search_index (rowid, title_words, body_words, facets) VALUES (@i, @title, @body, 'lzh')",
                new { i, title = i % 2 == 0 ? words : "title", body = $"{words} body words {new string('x', i)} filler" });
        }
    }

    public void Dispose() => _t.Dispose();

    [SqliteFact(Why)]
    public void Two_calls_with_other_arguments_in_one_statement_each_score_as_fts5_bm25()
    {
        // FTS5 keeps one auxdata per function: each call must replace the other's, never use it.
        using var c = _t.Db.Open();
        var rows = c.Query<(double, double, double, double)>(
            $"""
            SELECT bm25(search_index, {Weights}), {Bm25.Name}(search_index, 0, {Weights}),
                   bm25(search_index), {Bm25.Name}(search_index, 0)
            FROM search_index WHERE search_index MATCH '"common" AND "rare"'
            """).AsList();
        Assert.Equal(13, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(r.Item1, r.Item2, 9);
            Assert.Equal(r.Item3, r.Item4, 9);
        });
        Assert.Contains(rows, r => Math.Abs(r.Item1 - r.Item3) > 1e-6);
    }

    [SqliteFact(Why)]
    public void Thousands_of_phrases_score_as_fts5_bm25()
    {
        var match = string.Join(" OR ", Enumerable.Range(0, 5_000).Select(i => $"\"absent{i}\"").Append("\"rare\"").Append("\"common\""));
        var scores = Scores(match, Weights);
        Assert.Equal(40, scores.Count);
        Assert.All(scores, s => Assert.Equal(s.Fts5, s.Ours, 9));
    }

    [SqliteFact(Why)]
    public void Missing_or_null_weights_score_as_fts5_bm25_with_the_same_arguments()
    {
        Assert.All(Scores("\"common\" AND \"rare\"", ""), s => Assert.Equal(s.Fts5, s.Ours, 9));
        Assert.All(Scores("\"common\" AND \"rare\"", "NULL, 'eight', 2"), s => Assert.Equal(s.Fts5, s.Ours, 9));
    }

    [SqliteFact(Why)]
    public void Outside_an_fts5_query_it_is_an_error()
    {
        using var c = _t.Db.Open();
        Assert.Throws<SqliteException>(() => c.ExecuteScalar<double>($"SELECT {Bm25.Name}(1, 2)"));
        Assert.Equal(1, c.ExecuteScalar<long>("SELECT 1"));
    }

    [SqliteFact(Why)]
    public void A_row_whose_size_is_unreadable_fails_its_query_and_leaves_the_others_ranked()
    {
        using (var w = _t.Db.OpenIndexWriter())
        {
            w.Execute("UPDATE search_index_docsize SET sz = x'' WHERE id = 3");
        }
        using var c = _t.Db.Open();
        // xColumnSize fails for row 3 (SQLITE_CORRUPT_VTAB): the error is the statement's, as bm25's is.
        var ours = Assert.Throws<SqliteException>(() => Ranks(c, Bm25.Name + "(search_index, 0)"));
        var theirs = Assert.Throws<SqliteException>(() => Ranks(c, "bm25(search_index)"));
        Assert.Equal(theirs.SqliteErrorCode, ours.SqliteErrorCode);
        var others = Scores("\"common\" NOT \"rare\"", Weights, c);
        Assert.Equal(27, others.Count);
        Assert.All(others, s => Assert.Equal(s.Fts5, s.Ours, 9));
    }

    [SqliteFact(Why)]
    public void Unreadable_totals_fail_the_query_before_any_data_is_made()
    {
        using (var w = _t.Db.OpenIndexWriter())
        {
            // FTS5's averages record (id 1): what xRowCount and xColumnTotalSize read.
            w.Execute("UPDATE search_index_data SET block = x'' WHERE id = 1");
        }
        using var c = _t.Db.Open();
        Assert.Throws<SqliteException>(() => Ranks(c, Bm25.Name + "(search_index, 0)"));
        Assert.Equal(13, c.ExecuteScalar<long>("SELECT count(*) FROM search_index WHERE search_index MATCH '\"rare\"'"));
    }

    private static List<double> Ranks(System.Data.Common.DbConnection c, string function) =>
        c.Query<double>($"SELECT {function} FROM search_index WHERE search_index MATCH '\"rare\"'").AsList();

    private List<(double Fts5, double Ours)> Scores(string match, string weights)
    {
        using var c = _t.Db.Open();
        return Scores(match, weights, c);
    }

    private static List<(double Fts5, double Ours)> Scores(string match, string weights, System.Data.Common.DbConnection c) =>
        c.Query<(double, double)>(
            $"""
            SELECT bm25(search_index{(weights == "" ? "" : ", " + weights)}), {Bm25.Name}(search_index, 0{(weights == "" ? "" : ", " + weights)})
            FROM search_index WHERE search_index MATCH @match
            """,
            new { match }).AsList();
}
