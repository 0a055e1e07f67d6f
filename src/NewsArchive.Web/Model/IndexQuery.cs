namespace NewsArchive.Web.Model;

/// <summary>
/// The token streams of an article in the search index (Search/IndexDocument.cs makes them), in the
/// order of Storage's IndexRow. A phrase is looked for in a set of them.
/// </summary>
[Flags]
public enum IndexColumns
{
    TitleWords = 1,
    TitleGrams = 2,
    TitleChars = 4,
    BodyWords = 8,
    BodyGrams = 16,
    BodyChars = 32,
    Facets = 64,
    Words = TitleWords | BodyWords,
    Grams = TitleGrams | BodyGrams,
    Chars = TitleChars | BodyChars,
    Title = TitleWords | TitleGrams | TitleChars,
}

/// <summary>
/// A query of the search index as a tree, which Search builds and each index implementation
/// (Storage's ISearchIndex) translates into its own syntax. Its text (<see cref="object.ToString"/>)
/// is canonical: the same tree, the same text (the engine's count cache keys on it).
/// </summary>
public abstract record IndexQuery
{
    /// <summary>Tokens one after the other, all in one of the columns.</summary>
    public sealed record Phrase(IndexColumns Columns, IReadOnlyList<string> Tokens) : IndexQuery
    {
        public override string ToString() => $"{Columns}:\"{string.Join(' ', Tokens).Replace("\"", "\"\"")}\"";
    }

    public sealed record AllOf(IReadOnlyList<IndexQuery> Parts) : IndexQuery
    {
        public override string ToString() => "(" + string.Join(" AND ", Parts) + ")";
    }

    public sealed record AnyOf(IReadOnlyList<IndexQuery> Parts) : IndexQuery
    {
        public override string ToString() => "(" + string.Join(" OR ", Parts) + ")";
    }

    /// <summary>What <see cref="Left"/> finds that <see cref="Right"/> does not.</summary>
    public sealed record Except(IndexQuery Left, IndexQuery Right) : IndexQuery
    {
        public override string ToString() => $"({Left} NOT {Right})";
    }

    public static IndexQuery Of(IndexColumns columns, params IReadOnlyList<string> tokens) => new Phrase(columns, tokens);

    /// <summary>All of the parts; one part is itself.</summary>
    public static IndexQuery All(IReadOnlyList<IndexQuery> parts) => parts.Count == 1 ? parts[0] : new AllOf(parts);

    /// <summary>Any of the parts; one part is itself.</summary>
    public static IndexQuery Any(IReadOnlyList<IndexQuery> parts) => parts.Count == 1 ? parts[0] : new AnyOf(parts);
}
