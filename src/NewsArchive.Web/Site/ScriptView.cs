using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Caching.Memory;
using NewsArchive.Web.Model;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Site;

/// <summary>
/// Article text in the reader's script (<see cref="ScriptPreference"/>): titles, excerpts and bodies,
/// converted once and kept in a bounded cache, so a converted page costs about what the original does.
/// Only text nodes of HTML are converted; stored articles never change.
/// </summary>
public static class ScriptView
{
    private static readonly HtmlParser Parser = new();

    // Bounded in characters (about 64 MB); an entry keeps its source, so an edited article is converted again.
    private static readonly MemoryCache Converted = new(new MemoryCacheOptions { SizeLimit = 32L << 20 });

    /// <summary>What a preference does to an article in one language: the target and the language it gives.</summary>
    public sealed record Conversion(ScriptTarget Target, string Language);

    /// <summary>The text of a row as a list shows it.</summary>
    public sealed record RowText(string Title, string Excerpt, string Language);

    /// <summary>
    /// The conversion a preference asks for on an article in this language, or null when the article
    /// is already in that script: hans (Traditional → Simplified), hant (Simplified → Traditional),
    /// hant-tw and hant-hk (with Taiwan or Hong Kong vocabulary, 软件 → 軟體).
    /// </summary>
    public static Conversion? For(string? script, string language) => (script, language) switch
    {
        ("hans", Languages.Traditional) => new(ScriptTarget.Simplified, Languages.Simplified),
        ("hant", Languages.Simplified) => new(ScriptTarget.Traditional, Languages.Traditional),
        ("hant-tw", Languages.Simplified) => new(ScriptTarget.Taiwan, "zh-Hant-TW"),
        ("hant-hk", Languages.Simplified) => new(ScriptTarget.HongKong, "zh-Hant-HK"),
        _ => null,
    };

    public static RowText Row(string script, ArticleRow a) => For(script, a.Language) is { } c
        ? new(Text(a.Id, "title", c, a.Title), Text(a.Id, "excerpt", c, a.Excerpt), c.Language)
        : new(a.Title, a.Excerpt, a.Language);

    /// <summary>A name (a tag) in the reader's script, by the script its characters are in.</summary>
    public static string Name(string script, string name) =>
        For(script, Languages.Detect(name)) is { } c ? ChineseScript.Instance.Convert(name, c.Target) : name;

    /// <summary>One field of an article converted, from the cache when its source is unchanged.</summary>
    public static string Text(long id, string field, Conversion c, string source) =>
        Cached(id, field, c, source, s => ChineseScript.Instance.Convert(s, c.Target));

    /// <summary>An article's sanitized HTML converted, from the cache when its source is unchanged.</summary>
    public static string Html(long id, Conversion c, string html) => Cached(id, "html", c, html, h => ConvertHtml(h, c.Target));

    private static string Cached(long id, string field, Conversion c, string source, Func<string, string> convert)
    {
        var key = (id, field, c.Target);
        if (Converted.TryGetValue(key, out (string Source, string Text) hit) && hit.Source == source)
        {
            return hit.Text;
        }
        var text = convert(source);
        Converted.Set(key, (source, text), new MemoryCacheEntryOptions { Size = source.Length + text.Length });
        return text;
    }

    private static string ConvertHtml(string html, ScriptTarget target)
    {
        var doc = Parser.ParseDocument("<body>" + html);
        foreach (var t in doc.Body!.Descendants<IText>())
        {
            t.Data = ChineseScript.Instance.Convert(t.Data, target);
        }
        return doc.Body!.InnerHtml;
    }
}
