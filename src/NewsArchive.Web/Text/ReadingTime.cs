using System.Text;

namespace NewsArchive.Web.Text;

/// <summary>
/// An article's reading time: Chinese, Japanese and Korean characters at 400 a minute, other words
/// (runs of letters and digits) at 230 a minute, the usual adult silent-reading rates; at least a minute.
/// </summary>
public static class ReadingTime
{
    public const int CjkPerMinute = 400;
    public const int WordsPerMinute = 230;

    public static int Minutes(string? text)
    {
        int cjk = 0, words = 0;
        var inWord = false;
        foreach (var r in (text ?? "").EnumerateRunes())
        {
            if (Folding.IsCjk(r.Value))
            {
                cjk++;
                inWord = false;
            }
            else if (Rune.IsLetterOrDigit(r))
            {
                words += inWord ? 0 : 1;
                inWord = true;
            }
            else
            {
                inWord = false;
            }
        }
        return Math.Max(1, (int)Math.Ceiling((double)cjk / CjkPerMinute + (double)words / WordsPerMinute));
    }
}
