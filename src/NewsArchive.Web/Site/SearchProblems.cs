using NewsArchive.Web.Search;

namespace NewsArchive.Web.Site;

/// <summary>Why a query was refused, in plain English: the API's 400 reasons (pages show the localized Search.Problem.* strings).</summary>
public static class SearchProblems
{
    public static string English(string problem, string? detail) => problem switch
    {
        "too-long" => $"the query is longer than {SearchQuery.MaxLength} characters",
        "too-many-terms" => $"the query has more than {SearchQuery.MaxTerms} terms",
        "too-complex" => $"the query is too complex: at most {SearchQuery.MaxTokensPerTerm} characters per term "
            + $"and {SearchQuery.MaxTokensPerQuery} in all",
        "unbalanced-quote" => $"a quote is opened and never closed: {detail}",
        "or-side" => $"{detail} needs a term on each side (a OR b)",
        "unknown-field" => $"unknown field {detail}; the fields are {string.Join(", ", SearchQuery.Fields.Select(f => f + ":"))}",
        "bad-value" => $"{detail} is not a value that field takes (lang: zh-Hans, zh-Hant or en; after:, before:, date: 2024, 2024-06 or 2024-06-19)",
        "field-twice" => $"{detail} contradicts the same field earlier in the query",
        "field-alone" => $"{detail} is a filter: it cannot be excluded or be one side of an OR",
        "unknown-source" => $"source:{detail} names no source of this archive",
        _ => "the query has no terms to search for",
    };
}
