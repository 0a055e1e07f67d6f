using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage;

namespace NewsArchive.Tests.Search;

/// <summary>rank_bm25 (Storage/Bm25.cs) against FTS5's own bm25 on the dev corpus.</summary>
[Collection(DevCorpusCollection.Name)]
public sealed class Bm25Tests(DevCorpusDb dev)
{
    private const string Weights = "8, 8, 8, 1, 1, 1, 0";

    [SqliteCorpusTheory("rank_bm25 is an FTS5 function")]
    [InlineData("\"美国\" AND \"制裁\"")]
    [InlineData("{title_words body_words} : (\"biden\" OR \"bidens\" OR \"bidened\")")]
    [InlineData("(\"香港\") NOT (\"国安\") AND {title_chars body_chars} : \"鱼\"")]
    [InlineData("\"特朗 朗普\" AND (facets : lzhhant)")]
    public void Several_phrases_score_exactly_as_fts5_bm25(string match)
    {
        var scores = Scores(match, oneTerm: false);
        Assert.NotEmpty(scores);
        Assert.All(scores, s => Assert.Equal(s.Fts5, s.Ours, 9));
    }

    [SqliteCorpusTheory("rank_bm25 is an FTS5 function")]
    [InlineData("\"美国\"")]
    [InlineData("\"特朗 朗普\"")]
    [InlineData("(\"香港\") NOT (\"国安\")")]
    [InlineData("{title_chars body_chars} : \"鱼\" AND (facets : lzhhans)")]
    public void One_term_ranks_in_fts5_bm25_order_without_its_idf(string match)
    {
        // FTS5's score is the IDF of the one phrase with hits times ours: the same order.
        var scores = Scores(match, oneTerm: true);
        Assert.True(scores.Count > 1);
        var idf = scores[0].Fts5 / scores[0].Ours;
        Assert.True(idf > 0);
        Assert.All(scores, s => Assert.Equal(s.Fts5, s.Ours * idf, 9));
    }

    private List<(double Fts5, double Ours)> Scores(string match, bool oneTerm)
    {
        using var c = dev.Db.Open();
        return c.Query<(double, double)>(
            $"""
            SELECT bm25(search_index, {Weights}), {Bm25.Name}(search_index, {(oneTerm ? 1 : 0)}, {Weights})
            FROM search_index WHERE search_index MATCH @match
            """,
            new { match }).AsList();
    }
}
