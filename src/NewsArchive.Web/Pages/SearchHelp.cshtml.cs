using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/search/help: the query language, each form with an example that runs it.</summary>
[OutputCache(PolicyName = CachePolicies.Fixed)]
public sealed class SearchHelpModel(ArchiveStats stats) : PageModel
{
    /// <summary>An example query and the resource key of what it means.</summary>
    public static readonly (string Example, string Meaning)[] Examples =
    [
        ("香港 国安", "Help.And"),
        ("\"human rights\"", "Help.Phrase"),
        ("香港 -国安", "Help.Not"),
        ("特朗普 OR 川普", "Help.Or"),
        ("特朗普 | 川普 关税", "Help.OrAnd"),
        ("title:台湾", "Help.Title.Field"),
        ("title:\"一带一路\"", "Help.TitlePhrase"),
        ("title:香港 -title:国安", "Help.TitleNot"),
        ("vaccine lang:en", "Help.Lang"),
        ("口罩 date:2020-02", "Help.Date"),
        ("封城 after:2022-03 before:2022-07", "Help.Range"),
    ];

    /// <summary>The examples, with source: naming one of this archive's outlets (the one with most articles).</summary>
    public IReadOnlyList<(string Example, string Meaning)> Shown { get; private set; } = Examples;

    public void OnGet()
    {
        if (stats.Outlets().MaxBy(o => o.Count) is { } outlet)
        {
            Shown = [.. Examples[..8], ($"疫苗 source:{outlet.Outlet}", "Help.Source"), .. Examples[8..]];
        }
    }
}
