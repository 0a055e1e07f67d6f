using System.Text.RegularExpressions;
using Dapper;
using NewsArchive.Web.Reader;

namespace NewsArchive.Tests.Reader;

/// <summary>
/// Excerpts start at the first sentence of the news: the feed's timestamps, datelines, bylines and
/// photo credits before it and its footers after it are left out (the stored text keeps them).
/// </summary>
[Collection(DevCorpusCollection.Name)]
public sealed class ExcerptTests(DevCorpusDb dev)
{
    [Theory]
    // RFC 1123, ISO 8601, dd/mm/yyyy - hh:mm, yyyy-mm-dd hh:mm.
    [InlineData("Wed, 19 Jun 2024 13:39:24 GMT 美国总统拜登周三签署行政令。", "美国总统拜登周三签署行政令。")]
    [InlineData("2021-01-20T00:30:59Z 印度政府消息人士表示。", "印度政府消息人士表示。")]
    [InlineData("2021-01-21T04:40:41.924Z 輝瑞疫苗引發擔憂。", "輝瑞疫苗引發擔憂。")]
    [InlineData("2020-08-05T00:55:17+08:00 The markets fell.", "The markets fell.")]
    [InlineData("12/06/2023 - 11:28 据法新社援引朝中社报道。", "据法新社援引朝中社报道。")]
    [InlineData("2021-01-12 15:45:54 何谦说。", "何谦说。")]
    // yyyy年m月d日 with a time or a weekday, in both scripts.
    [InlineData("2024年6月19日 13:39 国务院发布通知。", "国务院发布通知。")]
    [InlineData("2024年6月19日 星期三 國務院發布通知。", "國務院發布通知。")]
    [InlineData("2024年6月19日（週三） 國務院發布通知。", "國務院發布通知。")]
    // Labelled times.
    [InlineData("更新时间：2024-06-19 13:39 国务院发布通知。", "国务院发布通知。")]
    [InlineData("發布時間：2024年6月19日 13:39 國務院發布通知。", "國務院發布通知。")]
    [InlineData("发布时间: 2024/06/19 08:00 | 更新时间: 2024/06/19 09:00 国务院发布通知。", "国务院发布通知。")]
    [InlineData("Updated: June 19, 2024 1:39 p.m. The senate voted.", "The senate voted.")]
    [InlineData("Published: 19 June 2024 The senate voted.", "The senate voted.")]
    [InlineData("Jan 12th 2021 NEW YORK THE BIGGEST commodity story.", "NEW YORK THE BIGGEST commodity story.")]
    // Bylines and datelines before the text.
    [InlineData("（中央社記者潘姿羽台北12日電）含萊克多巴胺美豬將於明年開放進口。", "含萊克多巴胺美豬將於明年開放進口。")]
    [InlineData("【大纪元2021年01月09日讯】（大纪元记者佟亦加综合报导）香港影帝张家辉出席记者会。", "香港影帝张家辉出席记者会。")]
    [InlineData("记者 王小明 报道 国务院发布通知。", "国务院发布通知。")]
    [InlineData("路透纽约10月12日 - 油价周一收盘下跌约3%。", "油价周一收盘下跌约3%。")]
    [InlineData("WASHINGTON (Reuters) - The senate voted.", "The senate voted.")]
    [InlineData("赫海威 2021-01-12 15:45:54 何谦说。", "何谦说。")]
    [InlineData("MICHAEL D. SHEAR 2021-01-08 14:11:25 周三一群暴民入侵国会。", "周三一群暴民入侵国会。")]
    [InlineData("帕琴·巴尔斯 （Patchen Barss） 50 分钟前 1964年9月的一天。", "1964年9月的一天。")]
    // Photo credits standing before the text, and a caption before a wire dateline.
    [InlineData("（图片来源：路透社） 国务院发布通知。", "国务院发布通知。")]
    [InlineData("圖片來源：中央社 國務院發布通知。", "國務院發布通知。")]
    [InlineData("Photo: Getty Images The senate voted.", "The senate voted.")]
    [InlineData("總統府14日表示，總統英文在總統府內視訊。（圖取自總統府） （中央社記者張三台北14日電）總統府今天表示，總統與美國大使視訊對談，就台灣國際參與等議題深度對話。",
        "總統府今天表示，總統與美國大使視訊對談，就台灣國際參與等議題深度對話。")]
    // Footers.
    [InlineData("国务院发布通知。 获取更多RSS： https://feedx.net https://feedx.xyz", "国务院发布通知。")]
    [InlineData("The senate voted. The post Senate votes first appeared on Example News .", "The senate voted.")]
    [InlineData("The senate voted. Feed enhanced by Better Feed from Ozh", "The senate voted.")]
    [InlineData("德国宣布封城。 © 2020年 德国之声版权声明：本文所有内容受到著作权法保护，如无德国之声特别授权，不得擅自使用。", "德国宣布封城。")]
    [InlineData("台股收高。 歡迎訂閱 中央社國際新聞電子報 ，每週三、日發報，掌握世界脈動。", "台股收高。")]
    public void Leaves_out_the_feeds_debris(string text, string excerpt) => Assert.Equal(excerpt, ArticleReader.Excerpt("標題", text));

    [Theory]
    // A date that starts a sentence is the news, and so is a sentence that starts with the title's words.
    [InlineData("标题", "2021年1月12日，本网获悉律师遭到骚扰。")]
    [InlineData("标题", "On Monday July 3rd 1967, just as Britons were turning in.")]
    [InlineData("特斯拉首任中国区总经理离世", "特斯拉首任中国区总经理离世，原因未知。")]
    [InlineData("标题", "12月18日，蚂蚁平台上的互联网存款产品均已下架。")]
    public void Keeps_the_news(string title, string text) => Assert.Equal(text, ArticleReader.Excerpt(title, text));

    [Fact]
    public void Leaves_out_the_title_copied_ahead_of_the_text_but_not_when_it_is_all_there_is()
    {
        Assert.Equal("中国国家统计局周一公布了数据。", ArticleReader.Excerpt("中国去年GDP增速2.3%", "中国去年GDP增速2.3% 陈岩 BBC中文 21 分钟前 中国国家统计局周一公布了数据。"));
        Assert.Equal("新闻联播 文字版", ArticleReader.Excerpt("新闻联播 文字版", "2020-11-19 新闻联播 文字版"));
    }

    // The test's own shapes, independent of Reader/NewsText.cs.
    private static readonly Regex StartsWithTime = new(
        @"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+\d"
        + @"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}"
        + @"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
        + @"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T\s]\d{1,2}:\d{2})?"
        + @"|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
        + @"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号號]\s*(?:\d{1,2}:\d{2}|[（(]?(?:星期|周|週))"
        + @"|(?:更新|发布|發布|發佈)(?:时间|時間)|(?:Updated|Published)\b"
        + @"|[（(【][^）)】]{0,40}(?:电|電|讯|訊)[）)】]"
        + @"|[（(]?(?:图片来源|圖片來源)|Photo:)",
        RegexOptions.IgnoreCase);

    private static readonly Regex EndsWithFooter = new(
        @"(?:获取更多RSS|feedx\.(?:net|xyz)|Better Feed from Ozh|first appeared on|appeared first on|版权声明|版權聲明|電子報，每週)[^。]{0,80}…?$");

    [CorpusFact]
    public void No_excerpt_of_the_dev_corpus_starts_with_a_time_or_ends_with_a_footer()
    {
        using var c = dev.Db.Open();
        var rows = c.Query<(string Title, string Text, string Excerpt)>("SELECT title, text, excerpt FROM articles").AsList();
        Assert.True(rows.Count > 7500, $"only {rows.Count} articles");
        var wrong = rows
            .Where(r => StartsWithTime.IsMatch(r.Excerpt) || EndsWithFooter.IsMatch(r.Excerpt)
                // Empty only when the body holds nothing but a footer.
                || (r.Excerpt.Length == 0 && EndsWithFooter.Replace(r.Text, "").Any(char.IsLetter)))
            .Select(r => $"[{r.Excerpt}] of [{r.Text[..Math.Min(80, r.Text.Length)]}]")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(20)));
        // The shapes are really there: the bodies start with them as archived.
        Assert.True(rows.Count(r => StartsWithTime.IsMatch(r.Text)) > 2500);
    }
}
