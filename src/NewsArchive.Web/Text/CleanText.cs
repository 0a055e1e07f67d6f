namespace NewsArchive.Web.Text;

/// <summary>Text as the archive stores it: valid in XML 1.0 (so feeds always parse) and cut without splitting a pair.</summary>
public static class CleanText
{
    /// <summary>Removes C0 controls other than tab, LF and CR, U+FFFE, U+FFFF and lone surrogates.</summary>
    public static string StripInvalidXml(string s)
    {
        var i = FirstInvalid(s);
        if (i < 0)
        {
            return s;
        }
        var sb = new System.Text.StringBuilder(s.Length);
        sb.Append(s, 0, i);
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[++i]);
            }
            else if (IsValid(c))
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static int FirstInvalid(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (!IsValid(c))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsValid(char c) =>
        c is '\t' or '\n' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c is not '\uFFFE' and not '\uFFFF');

    /// <summary>At most <paramref name="max"/> chars, one fewer when the cut would split a surrogate pair.</summary>
    public static string Truncate(string s, int max)
    {
        if (s.Length <= max)
        {
            return s;
        }
        return s[..(max > 0 && char.IsHighSurrogate(s[max - 1]) ? max - 1 : max)];
    }
}
