using NewsArchive.Web.Model;
using NewsArchive.Web.Search;
using NewsArchive.Web.Text;

namespace NewsArchive.Tests.Search;

public sealed class QueryAndFoldingTests
{
    [Theory]
    [InlineData("臺灣", "台湾")]
    [InlineData("台灣", "台湾")]
    [InlineData("ＧＤＰ　２０２１", "gdp 2021")]
    [InlineData("Straße", "strasse")]
    [InlineData("國務院", "国务院")]
    public void Folds_width_case_and_script(string text, string folded)
    {
        Assert.Equal(folded, Folding.Fold(text));
    }

    [Fact]
    public void Every_character_folds_the_same_through_the_table_as_one_at_a_time()
    {
        for (var c = 1; c <= char.MaxValue; c++)
        {
            if (!char.IsSurrogate((char)c))
            {
                var s = ((char)c).ToString();
                Assert.Equal(Folding.FoldWithMap(s, []), Folding.Fold(s));
            }
        }
        // Characters Unicode normalization refuses become U+FFFD instead of failing the article.
        Assert.Equal("x\uFFFD𠀋台\uFFFD", Folding.Fold("X\uD800𠀋臺\uFFFE"));
    }

    [Fact]
    public void Folding_map_points_back_to_original_characters()
    {
        var map = new List<int>();
        var folded = Folding.FoldWithMap("Ａ臺灣ß", map);
        Assert.Equal("a台湾ss", folded);
        Assert.Equal([0, 1, 2, 3, 3], map);
    }

    [Fact]
    public void Parses_and_not_and_phrases()
    {
        var q = SearchQuery.Parse("香港 -國安 \"human rights\" -\"a b\"");
        Assert.Equal(["香港", "国安", "human rights", "a b"], q.Terms.Select(t => t.Folded));
        Assert.Equal([false, true, false, true], q.Terms.Select(t => t.Negated));
        Assert.True(q.Terms[2].IsWords);
        Assert.False(q.Terms[0].IsWords);
    }

    [Theory]
    [InlineData("-", "empty")]
    [InlineData("\"\"", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("- -- \"", "unbalanced-quote")]
    public void Queries_without_terms_are_refused_with_a_reason(string q, string problem)
    {
        Assert.Equal(problem, SearchQuery.Parse(q).Problem);
    }

    [Fact]
    public void Absurdly_long_queries_are_refused()
    {
        Assert.Equal("too-long", SearchQuery.Parse(new string('中', 10_000)).Problem);
        Assert.Equal("too-many-terms", SearchQuery.Parse(string.Join(' ', Enumerable.Range(0, 100).Select(i => "w" + i))).Problem);
    }

    [Theory]
    [InlineData("NEAR(a b)", new[] { "near(a", "b)" })]
    [InlineData("a* b:c ^d", new[] { "a*", "b:c", "^d" })]
    [InlineData("a\"b", new[] { "a\"b" })]
    public void Fts_syntax_is_literal_text(string q, string[] terms)
    {
        Assert.Equal(terms, SearchQuery.Parse(q).Terms.Select(t => t.Folded));
    }

    [Fact]
    public void Word_forms_stay_on_the_stem()
    {
        Assert.Contains("vaccines", WordForms.Of("vaccine"));
        Assert.Contains("elections", WordForms.Of("election"));
        Assert.Contains("policies", WordForms.Of("policy"));
        Assert.Contains("election", WordForms.Of("elections"));
        Assert.DoesNotContain("new", WordForms.Of("news"));
        Assert.All(WordForms.Of("using"), f => Assert.StartsWith("us", f));
    }

    [Fact]
    public void Words_are_adjacent_only_across_one_space()
    {
        var t = Tokens.Tokenize("human rights, human-rights");
        Assert.Equal($"human rights {Tokens.Gap} human {Tokens.Gap} rights ", t.Words);
    }

    [Fact]
    public void Grams_cover_every_pair_inside_a_run_and_mark_runs_without_pairs()
    {
        var t = Tokens.Tokenize("香港国安 法 𠀋𠀋 g7峰会 2021 年");
        Assert.Equal($"香港 港国 国安 {Tokens.Skip} 𠀋𠀋 g7 7峰 峰会 {Tokens.Skip} {Tokens.Skip} ", t.Grams);
        Assert.Equal(new[] { "国", "安", "法", "港", "香", "𠀋", "峰", "会", "年" }.Order(), t.Unigrams.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    [Fact]
    public void A_gap_separates_runs_only_where_the_second_begins_with_the_last_character_of_the_first()
    {
        // Without it, 香港口 (香港 港口) would be found in "香港 港口".
        Assert.Equal($"香港 {Tokens.Gap} 港口 中国 ", Tokens.Tokenize("香港 港口 中国").Grams);
        Assert.Equal(IndexQuery.Of(IndexColumns.Grams, "香港", Tokens.Gap, "港口").ToString(), IndexPlan.Expression(new Term("香港 港口", false), false)!.ToString());
        Assert.Equal(IndexQuery.Of(IndexColumns.Grams, "香港", "国安").ToString(), IndexPlan.Expression(new Term("香港 国安", false), false)!.ToString());
    }

    [Fact]
    public void Marks_are_tokens_of_their_own_between_the_pairs_and_the_characters_next_to_them()
    {
        // An ASCII mark (a full-width comma folds to one) is kept as a private-use character.
        Assert.Equal($"他说 说 \uE02C 我 我们 {Tokens.Gap} 《 纽 纽约 约时 时报 报 》 ", Tokens.Tokenize(Folding.Fold("他说，我们 《纽约时报》")).Grams);
        Assert.Equal(["说", "\uE02C", "我"], Tokens.GramsOf("说,我"));
        Assert.Equal(["9", "·", "1", "11"], Tokens.GramsOf("9·11"));
        Assert.True(Tokens.IsMark('《') && Tokens.IsMark('-') && Tokens.IsMark('·') && Tokens.IsMark(0x1F600));
        Assert.False(Tokens.IsMark('中') || Tokens.IsMark('a') || Tokens.IsMark('7') || Tokens.IsMark('é') || Tokens.IsMark(0x2000B));
    }

    [Fact]
    public void IsSpace_is_char_IsWhiteSpace()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            Assert.Equal(char.IsWhiteSpace((char)c), Tokens.IsSpace((char)c));
        }
    }

    [Theory]
    [InlineData("香港国安", true)]
    [InlineData("香港 国安", true)]
    [InlineData("国", true)]
    [InlineData("x 国安", false)]
    [InlineData("香港 安", false)]
    [InlineData("香港  国安", false)]
    [InlineData("biden 拜登", false)]
    [InlineData("g7峰会 美国", true)]
    public void Phrases_with_a_one_character_run_are_checked_against_the_text(string folded, bool exact)
    {
        Assert.Equal(exact, new Term(folded, false).IsExactInIndex);
    }

    [Fact]
    public void Matches_follow_the_reference_semantics()
    {
        var trump = new Term("trump", false);
        Assert.True(SearchQuery.Matches("特朗普trump's plan", trump));
        Assert.False(SearchQuery.Matches("trumpet", trump));
        Assert.True(SearchQuery.Matches("熊猫", new Term("熊", false)));
    }

    [Fact]
    public void Highlight_lands_on_the_original_script()
    {
        var html = Snippets.Highlight("他在台湾说：<台湾>", SearchQuery.Parse("臺灣"));
        Assert.Equal("他在<mark>台湾</mark>说：&lt;<mark>台湾</mark>&gt;", html);
    }
}
