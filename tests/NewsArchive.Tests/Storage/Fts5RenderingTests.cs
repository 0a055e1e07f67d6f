using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Storage.Sqlite;

namespace NewsArchive.Tests.Storage;

/// <summary>Index queries as the SQLite index renders them for FTS5, written out by hand.</summary>
public sealed class Fts5RenderingTests
{
    private static IndexQuery P(IndexColumns columns, params string[] tokens) => IndexQuery.Of(columns, tokens);

    private static IndexQuery Planned(string query, ArticleFilter? filter = null) => IndexPlan.Of(SearchQuery.Parse(query), filter ?? new ArticleFilter()).Match!;

    public static readonly (IndexQuery Query, string Fts5)[] Table =
    [
        // A gram phrase with a non-ASCII pair needs no column filter: only the gram columns hold one.
        (P(IndexColumns.Grams, "香港", "港口"), "\"香港 港口\""),
        // Single characters are in the character columns too, ASCII pairs may be words: the filter stays.
        (P(IndexColumns.Grams, "《", "纽"), "{title_grams body_grams} : \"《 纽\""),
        (P(IndexColumns.Grams, "g7"), "{title_grams body_grams} : \"g7\""),
        (P(IndexColumns.TitleGrams, "香港"), "title_grams : \"香港\""),
        (P(IndexColumns.Words, "human", "rights"), "{title_words body_words} : \"human rights\""),
        (P(IndexColumns.TitleWords, "biden"), "title_words : \"biden\""),
        (P(IndexColumns.Chars, "鱼"), "{title_chars body_chars} : \"鱼\""),
        (P(IndexColumns.Facets, "len"), "facets : \"len\""),
        (P(IndexColumns.Title, "香港"), "{title_words title_grams title_chars} : \"香港\""),
        (P(IndexColumns.Words, "o\"brien"), "{title_words body_words} : \"o\"\"brien\""),
        (new IndexQuery.AnyOf([P(IndexColumns.Words, "vaccine"), P(IndexColumns.Words, "vaccines")]),
            "{title_words body_words} : \"vaccine\" OR {title_words body_words} : \"vaccines\""),
        (new IndexQuery.AllOf([P(IndexColumns.Grams, "美国"), new IndexQuery.AnyOf([P(IndexColumns.Grams, "新冠"), P(IndexColumns.Grams, "肺炎")])]),
            "\"美国\" AND (\"新冠\" OR \"肺炎\")"),
        (new IndexQuery.Except(new IndexQuery.Except(P(IndexColumns.Grams, "美国"), P(IndexColumns.Grams, "中国")), P(IndexColumns.Words, "trump")),
            "(\"美国\" NOT \"中国\") NOT {title_words body_words} : \"trump\""),
        (Planned("香港 国安 -法", new ArticleFilter(Language: "zh-Hans")),
            "(\"香港\" AND \"国安\" AND facets : \"lzhhans\") NOT {title_chars body_chars} : \"法\""),
        // The parser keeps a group's alternatives in a canonical order, the title term last.
        (Planned("title:台湾 OR 特朗普"), "\"特朗 朗普\" OR title_grams : \"台湾\""),
    ];

    [Fact]
    public void Every_tree_renders_to_its_FTS5_expression()
    {
        foreach (var (query, fts5) in Table)
        {
            Assert.Equal(fts5, SqliteSearchIndex.Fts5(query));
        }
    }
}
