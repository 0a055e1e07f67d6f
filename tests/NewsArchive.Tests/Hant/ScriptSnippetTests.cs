using NewsArchive.Web.Search;
using NewsArchive.Web.Text;

namespace NewsArchive.Tests.Hant;

/// <summary>Snippets in another script: matched on the stored text, marked on the converted phrases.</summary>
public sealed class ScriptSnippetTests
{
    [Fact]
    public void A_phrase_that_changes_length_keeps_its_mark()
    {
        // 博客 is 部落格 in Taiwan: two characters become three, and the marks after it move.
        var snippet = Snippets.Highlight("博客说软件好，软件", SearchQuery.Parse("博客 软件"), target: ScriptTarget.Taiwan);
        Assert.Equal("<mark>部落格</mark>說<mark>軟體</mark>好，<mark>軟體</mark>", snippet);
    }

    [Fact]
    public void A_match_inside_a_phrase_marks_what_it_became()
    {
        // Search finds 件 in 软件; in Taiwan's text that is 體.
        Assert.Equal("軟<mark>體</mark>", Snippets.Highlight("软件", SearchQuery.Parse("件"), target: ScriptTarget.Taiwan));
    }

    [Fact]
    public void A_phrase_of_the_same_length_maps_character_by_character()
    {
        // OpenCC converts 软件开发人员 as one phrase; only the two characters searched for are marked.
        Assert.Equal("<mark>軟體</mark>開發人員", Snippets.Highlight("软件开发人员", SearchQuery.Parse("软件"), target: ScriptTarget.Taiwan));
    }

    [Fact]
    public void A_window_of_a_long_text_is_converted_with_its_marks()
    {
        var text = new string('好', 300) + "软件" + new string('好', 300);
        var snippet = Snippets.Highlight(text, SearchQuery.Parse("軟件"), 40, ScriptTarget.Taiwan);
        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.Contains("好<mark>軟體</mark>好", snippet);
    }
}
