using NewsArchive.Web.Text;

namespace NewsArchive.Tests.Reader;

public sealed class ReadingTimeTests
{
    [Theory]
    [InlineData("", 1)]
    [InlineData(null, 1)]
    [InlineData(400, 1)]
    [InlineData(401, 2)]
    [InlineData(2000, 5)]
    public void Chinese_characters_read_at_400_a_minute(object? cjk, int minutes) =>
        Assert.Equal(minutes, ReadingTime.Minutes(cjk is int n ? new string('字', n) : (string?)cjk));

    [Fact]
    public void English_words_read_at_230_a_minute_and_mixed_text_adds_both()
    {
        Assert.Equal(1, ReadingTime.Minutes(string.Join(' ', Enumerable.Repeat("word", 230))));
        Assert.Equal(2, ReadingTime.Minutes(string.Join(", ", Enumerable.Repeat("co-op's", 116))));
        // 200 characters (half a minute) and 115 words (half a minute): one minute.
        Assert.Equal(1, ReadingTime.Minutes(new string('中', 200) + " " + string.Join(' ', Enumerable.Repeat("news", 115))));
        Assert.Equal(2, ReadingTime.Minutes(new string('中', 201) + " " + string.Join(' ', Enumerable.Repeat("news", 115))));
    }
}
