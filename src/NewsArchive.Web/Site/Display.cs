using System.Globalization;
using Microsoft.Extensions.Localization;

namespace NewsArchive.Web.Site;

/// <summary>How dates, numbers and article languages are shown, in the request's culture.</summary>
public sealed class Display(TimeZoneInfo zone, IStringLocalizer<SharedResource> l)
{
    public TimeZoneInfo Zone => zone;

    public static CultureInfo Culture => CultureInfo.CurrentUICulture;

    public string DateTime(DateTimeOffset? t)
    {
        if (t is not { } v)
        {
            return l["Date.Unknown"];
        }
        var local = TimeZoneInfo.ConvertTime(v, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var tz = offset.Minutes == 0 ? $"UTC{sign}{Math.Abs(offset.Hours)}" : $"UTC{sign}{offset:hh\\:mm}";
        return local.ToString("g", Culture) + " (" + tz + ")";
    }

    public string Date(DateTimeOffset? t) =>
        t is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("d", Culture) : l["Date.Unknown"];

    public static string Iso(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) ?? "";

    public static string Number(long n) => n.ToString("N0", Culture);

    public string Language(string code) => l["Lang." + code];
}

/// <summary>Page numbers around the current page, with first and last.</summary>
public sealed record Pager(int Page, int Size, long Total)
{
    public int LastPage => (int)Math.Max(1, (Total + Size - 1) / Size);

    public IEnumerable<int> Window()
    {
        var from = Math.Max(1, Page - 3);
        var to = Math.Min(LastPage, Page + 3);
        return Enumerable.Range(from, Math.Max(0, to - from + 1));
    }
}
