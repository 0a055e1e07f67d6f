namespace NewsArchive.Web.Model;

/// <summary>
/// How alike two folded texts are: Jaccard similarity of their sets of character 5-grams (white
/// space collapsed), each hashed to 64 bits. Character n-grams work the same for Chinese (no word
/// breaks) and English; 5 characters are specific enough that two different reports of one series
/// share few. The measure and its threshold are documented, with their errors, in docs/identity.md.
/// </summary>
public static class TextShingles
{
    /// <summary>At or above this, two copies from one source under one title are revisions of one article.</summary>
    public const double RevisionThreshold = 0.5;

    /// <summary>Revisions are dated this close: a weekly series under one title is not one article.</summary>
    public static readonly TimeSpan RevisionWindow = TimeSpan.FromDays(7);

    private const int Width = 5;

    public static HashSet<ulong> Of(string folded)
    {
        var chars = new List<char>(folded.Length);
        foreach (var ch in folded)
        {
            if (!char.IsWhiteSpace(ch))
            {
                chars.Add(ch);
            }
            else if (chars.Count > 0 && chars[^1] != ' ')
            {
                chars.Add(' ');
            }
        }
        var set = new HashSet<ulong>();
        for (var i = 0; i + Width <= chars.Count; i++)
        {
            // FNV-1a: stable across runs, unlike string.GetHashCode.
            var h = 14695981039346656037UL;
            for (var j = i; j < i + Width; j++)
            {
                h = (h ^ chars[j]) * 1099511628211UL;
            }
            set.Add(h);
        }
        return set;
    }

    public static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var common = small.Count(large.Contains);
        return (double)common / (a.Count + b.Count - common);
    }

    public static bool AreRevisions(string foldedText, string otherFoldedText) =>
        Jaccard(Of(foldedText), Of(otherFoldedText)) >= RevisionThreshold;
}
