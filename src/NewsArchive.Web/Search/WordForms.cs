namespace NewsArchive.Web.Search;

/// <summary>English word forms: a whole-word term also finds its plural and verb endings.</summary>
public static class WordForms
{
    /// <summary>English word forms a whole-word term also matches (vaccine → vaccines).</summary>
    public static IReadOnlyList<string> Of(string word)
    {
        var forms = new List<string> { word };
        if (word.Length < 3 || !word.All(c => c is >= 'a' and <= 'z'))
        {
            return forms;
        }
        forms.AddRange([word + "s", word + "es", word + "ed", word + "ing"]);
        if (word.EndsWith('e'))
        {
            forms.AddRange([word + "d", word[..^1] + "ing"]);
        }
        if (word.EndsWith('y') && word.Length >= 4 && !"aeiou".Contains(word[^2]))
        {
            forms.AddRange([word[..^1] + "ies", word[..^1] + "ied"]);
        }
        if (word.Length >= 5 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal)
            && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
        {
            forms.Add(word[..^1]);
        }
        // Only forms that share the word's inflectional stem, so a form never drifts to another word.
        var stem = InflectionalStem(word);
        return forms.Where(f => f.StartsWith(stem, StringComparison.Ordinal)).Distinct().ToList();
    }

    /// <summary>The word without one inflectional ending (ing, es, ed, s, e, y), keeping at least 3 letters.</summary>
    public static string InflectionalStem(string word)
    {
        foreach (var suffix in new[] { "ing", "es", "ed", "s", "e", "y" })
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 3)
            {
                return word[..^suffix.Length];
            }
        }
        return word;
    }
}
