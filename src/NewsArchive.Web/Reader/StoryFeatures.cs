using JiebaNet.Segmenter;
using NewsArchive.Web.Model;
using NewsArchive.Web.Text;

namespace NewsArchive.Web.Reader;

/// <summary>
/// What an article's story is told with, for threading (docs/stories.md): the words of its title
/// and of its lead, folded as search folds (so Traditional and Simplified compare) with the
/// names' regional spellings made one (<see cref="Transliterations"/>), cut into words by jieba.NET
/// (which measured better than character pairs: docs/stories.md); a title word counts
/// <see cref="TitleWeight"/> times a lead word, since a headline names the event and a lead's later
/// sentences drift to background. A term is a number, not a string: a word's 64-bit hash
/// (threading compares millions of them).
/// </summary>
public static class StoryFeatures
{
    /// <summary>How much of the news (after datelines and bylines) is the lead.</summary>
    public const int LeadChars = 300;

    /// <summary>How much of the stored text the lead is looked for in.</summary>
    public const int TextPrefix = 1200;

    public const float TitleWeight = 3;

    /// <summary>Each term of the article with its count (a title's counted <see cref="TitleWeight"/> times).</summary>
    public static Dictionary<long, float> Of(string title, string text, Transliterations names)
    {
        var terms = new Dictionary<long, float>();
        Add(terms, names.Canonical(Folding.Fold(title)), TitleWeight);
        var start = NewsText.Span(title, text).Start;
        var lead = text.AsSpan(start, Math.Min(LeadChars, text.Length - start)).ToString();
        Add(terms, names.Canonical(Folding.Fold(lead)), 1);
        return terms;
    }

    // jieba.NET's dictionary (jieba/ beside the app, ~0.5 s to load): read once, on first use, and shared (its lookups only read).
    private static readonly Lazy<JiebaSegmenter> Segmenter = new(() =>
    {
        ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "jieba");
        return new JiebaSegmenter();
    });

    private static void Add(Dictionary<long, float> terms, string folded, float weight)
    {
        foreach (var word in Segmenter.Value.Cut(folded))
        {
            // A lone character (a particle, a measure word, a digit) says too little of the story.
            if (word.Length >= 2 && word.Any(char.IsLetterOrDigit))
            {
                Count(terms, Word(word), weight);
            }
        }
    }

    private static void Count(Dictionary<long, float> terms, long term, float weight) =>
        terms[term] = terms.GetValueOrDefault(term) + weight;

    /// <summary>FNV-1a, the same in every process (the weights are stored by term).</summary>
    private static long Word(ReadOnlySpan<char> word)
    {
        var h = 14695981039346656037UL;
        foreach (var c in word)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return (long)(h | (1UL << 63));
    }
}
