using System.Text.RegularExpressions;

namespace NewsArchive.Web.Reader;

/// <summary>
/// Where the news of an article's text starts and ends, for what a reader sees first (excerpts,
/// snippets without a match): feeds put machine timestamps, datelines, bylines and photo credits
/// ahead of the first sentence, and aggregator or outlet footers after the last. The archived text
/// keeps all of it (search indexes and matches it as it is); only what is shown is cut.
/// </summary>
public static partial class NewsText
{
    /// <summary>How far into the text a dateline may stand with only a photo caption before it.</summary>
    private const int CaptionReach = 300;

    /// <summary>
    /// The start and end of the news in <paramref name="text"/>; empty when the text is only
    /// debris (a body that is a timestamp and a feed's footer has nothing to show).
    /// </summary>
    public static (int Start, int End) Span(string title, string text)
    {
        var end = FooterStart(text);
        return (Math.Min(LeadEnd(title, text, end), end), end);
    }

    /// <summary>The news alone: <see cref="Span"/> cut out.</summary>
    public static string Of(string title, string text)
    {
        var (start, end) = Span(title, text);
        return text[start..end];
    }

    private static int LeadEnd(string title, string text, int end)
    {
        var p = Skip(text, 0);
        var t = title.Trim();
        var titleSeen = t.Length < 4;
        // Each piece of debris may follow another (a byline, a timestamp, a dateline): a few rounds.
        for (var round = 0; round < 8 && p < end; round++)
        {
            // The title again at the top of the body (the page's heading copied by the feed), standing
            // apart from the text after it, unless it is all there is.
            if (!titleSeen && text.AsSpan(p).StartsWith(t, StringComparison.Ordinal)
                && p + t.Length < end && char.IsWhiteSpace(text[p + t.Length]))
            {
                titleSeen = true;
                p = Skip(text, p + t.Length);
                continue;
            }
            var m = Debris().Match(text, p);
            if (!m.Success)
            {
                break;
            }
            p = Skip(text, p + m.Length);
        }
        // A wire dateline opens the story: what stands before it near the top is a photo caption,
        // shorter than the story (a byline at the end of a short text opens nothing).
        var dateline = Dateline().Match(text, p, Math.Min(CaptionReach, text.Length - p));
        var story = dateline.Success ? Skip(text, dateline.Index + dateline.Length) : p;
        return end - story > dateline.Index - p ? story : p;
    }

    private static int FooterStart(string text)
    {
        var end = text.Length;
        for (var round = 0; round < 4 && end > 0; round++)
        {
            var from = Math.Max(0, end - 400);
            var m = Footer().Match(text, from, end - from);
            if (!m.Success)
            {
                break;
            }
            end = m.Index;
            while (end > 0 && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }
        }
        return end;
    }

    /// <summary>Past spaces and the separators feeds put between header fields.</summary>
    private static int Skip(string text, int p)
    {
        while (p < text.Length && (char.IsWhiteSpace(text[p]) || text[p] is '|' or '｜' or '·' or '•'
            || (text[p] is '-' or '–' or '—' && (p + 1 == text.Length || char.IsWhiteSpace(text[p + 1])))))
        {
            p++;
        }
        return p;
    }

    private const string Month = "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?";
    private const string WeekDay = "Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?";
    private const string Clock = @"\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:[.,]\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?";
    private const string Zone = @"(?:\s?(?:Z|(?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|(?-i:[A-Z]{2,4}T)\b|[(（](?:GMT|UTC)[+-]\d{1,2}(?::\d{2})?[)）]))?";
    private const string CjkWeekDay = "[(（]?(?:星期|周|週|禮拜|礼拜)[一二三四五六日天][)）]?";

    /// <summary>A machine timestamp or a date heading a text, in the shapes feeds use.</summary>
    private const string Timestamp =
        // RFC 1123 and other day-first English dates: Wed, 19 Jun 2024 13:39:24 GMT.
        $@"(?:(?:(?:{WeekDay}),?\s+)?\d{{1,2}}\s+(?:{Month})\.?,?\s+\d{{4}}(?:,?\s+{Clock})?{Zone}"
        // Month first: Oct 12th 2020, January 5, 2021 at 10:30 a.m.
        + $@"|(?:(?:{WeekDay}),?\s+)?(?:{Month})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?:,?\s+(?:at\s+)?{Clock})?{Zone}"
        // ISO 8601 and yyyy-mm-dd hh:mm (also with / or .).
        + $@"|\d{{4}}(?<sep>[-/.])\d{{1,2}}\k<sep>\d{{1,2}}(?:(?:T|\s+){Clock})?{Zone}"
        // dd/mm/yyyy - hh:mm.
        + $@"|\d{{1,2}}(?<sep>[-/.])\d{{1,2}}\k<sep>\d{{4}}(?:\s*[-–—,]?\s*{Clock})?{Zone}"
        // yyyy年m月d日 with a time or a weekday: a date alone before a comma starts a sentence.
        + $@"|\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号號](?:\s*(?:{Clock}|{CjkWeekDay}|(?:上午|下午|凌晨|晚上)?\d{{1,2}}\s*[时時点點](?:\s*\d{{1,2}}\s*分)?))+(?=[\s|｜]|$)"
        // Relative times: 50 分钟前, 3 hours ago.
        + @"|\d{1,3}\s*(?:分钟|分鐘|小时|小時|天)前|\d{1,3}\s+(?:minutes?|hours?|days?)\s+ago)";

    [GeneratedRegex(
        // A short byline (no digits) may stand before a timestamp that stands alone (赫海威 2021-01-12 15:45:54, 乐然（摘译） 2021-…).
        $@"\G(?:{Timestamp}|[^\s\d。！？；，:：][^\d。！？；，:：]{{0,38}}?\s+{Timestamp}(?=\s|$)"
        // Labelled times: 更新时间：…, 發布時間 …, Updated: ….
        + $@"|(?:(?:最后|最後)?更新(?:时间|時間|于|於)?|(?:发布|發布|發佈|发表|發表|刊登|出版)(?:时间|時間|日期|于|於)?|时间|時間|日期|(?:Last\s+)?Updated(?:\s+on)?|Published(?:\s+on)?|Posted(?:\s+on)?|Date)\s*[:：]?\s*{Timestamp}"
        // Bracketed datelines and bylines: 【大纪元2021年01月09日讯】, （中央社記者潘姿羽台北12日電）, （德国之声中文网）.
        + @"|[（(【\[]\s*[^（()）【】\[\]。！？]{2,48}?(?:电|電|讯|訊|报道|報導|报导|報道|中文网|中文網)\s*[）)】\]]"
        // 记者 XXX 报道.
        + @"|(?:本台|本報|本报)?(?:记者|記者)[\s\p{IsCJKUnifiedIdeographs}·、]{2,24}?(?:报道|報導|报导|報道)(?=[\s：:]|$)"
        // Agency datelines: 路透纽约10月12日 - , WASHINGTON (Reuters) - .
        + @"|\p{IsCJKUnifiedIdeographs}{1,12}\d{1,2}月\d{1,2}日(?:电|電|讯|訊)?\s*[-–—－]"
        + @"|(?-i:[A-Z][A-Z .,'’-]{1,40}\([A-Z][A-Za-z ]{1,20}\))\s*[-–—]+"
        // Photo credits: （图片来源：…）, 圖片來源：…, Photo: Getty Images.
        + @"|[（(]\s*(?:图|圖|照片|摄影|攝影|Photo|Image|Picture)[^（()）]{0,60}[）)]"
        + @"|(?:图片来源|圖片來源|图源|圖源|摄影|攝影)\s*[:：]\s*\S+"
        // An English credit ends at its agency or at a name/agency pair, else after one word.
        + @"|(?:Photo|Image|Picture)s?(?:\s+credit)?\s*[:：]\s*(?:(?:\S+\s){0,3}?(?-i:\S*/\S+|Getty Images|Reuters|AFP|AP|EPA|Xinhua|Bloomberg)|\S+))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Debris();

    /// <summary>A wire dateline in brackets: the news agency's place and day, or its byline.</summary>
    [GeneratedRegex(@"[（(【]\s*[^（()）【】。！？]{0,40}?(?:\d{1,2}日[^（()）【】。！？]{0,12}?(?:电|電|讯|訊|报道|報導|报导|報道)|(?:记者|記者)[^（()）【】。！？]{0,20}?(?:电|電|讯|訊|报道|報導|报导|報道)|中文网|中文網)\s*[）)】]",
        RegexOptions.CultureInvariant)]
    private static partial Regex Dateline();

    /// <summary>Footers feeds and outlets append: aggregator lines, WordPress's, copyright and subscription boilerplate.</summary>
    [GeneratedRegex(
        @"(?:(?:获取|獲取)更多\s*RSS[\s\S]{0,200}"
        + @"|(?:Feed enhanced by (?:the )?)?Better Feed from Ozh[\s\S]{0,40}"
        + @"|\bThe post\s[\s\S]{1,300}?\s(?:first appeared on|appeared first on)\s[\s\S]{1,100}"
        + @"|(?:©\s*\d{4}\s*年?\s*\S{0,10}\s*)?(?:版权声明|版權聲明)\s*[:：][\s\S]{0,200}"
        + @"|(?:(?:歡迎|欢迎)\s*)?(?:訂閱|订阅)\s*[^。]{0,20}(?:電子報|电子报)[\s\S]{0,60}"
        + @"|(?:我们的标准|我們的標準)\s*[:：][\s\S]{0,40}"
        + @"|(?:点击|點擊)查看本文英文版。?)\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Footer();
}
