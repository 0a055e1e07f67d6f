using DiffPlex.Chunkers;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using NewsArchive.Web.Model;
using NewsArchive.Web.Site;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/a/{id}/revision/{n}: an earlier version of an article, and what the current one changed, sentence by sentence
/// (the stored text has no paragraph breaks; a word diff of Chinese, which has no spaces, would be whole sentences anyway).</summary>
[OutputCache(PolicyName = CachePolicies.Fixed)]
public sealed class RevisionModel(Database db) : PageModel
{
    /// <summary>
    /// Sentences of both versions together above which they are not compared: the diff costs about
    /// their number times the number that differ, so this keeps one page to tens of milliseconds
    /// (two texts at the 1,000,000-character cap could otherwise take minutes).
    /// </summary>
    public const int MaxSentences = 4000;

    public ArticleRow Article { get; private set; } = new();
    public ArticleRevision Revision { get; private set; } = new();

    private static readonly DelimiterChunker Sentences = new(['.', '!', '?', ';', '。', '！', '？', '；']);

    /// <summary>The sentences of both versions in order: kept, removed (only in this one) or added (only in the current one).</summary>
    public IReadOnlyList<DiffPiece> Changes { get; private set; } = [];

    /// <summary>Too long to compare: the page shows the earlier text as it is.</summary>
    public bool TooLong { get; private set; }

    public IActionResult OnGet(string id, long n)
    {
        if (!Permalink.IsWellFormed(id))
        {
            return NotFound();
        }
        using var c = db.Open();
        if (ArticleStore.GetByPermalink(c, id) is not { } a || ArticleRevisionStore.Get(c, a.Id, n) is not { } r)
        {
            return NotFound();
        }
        (Article, Revision) = (a, r);
        if (Sentences.Chunk(r.Text ?? "").Count + Sentences.Chunk(a.Text ?? "").Count > MaxSentences)
        {
            TooLong = true;
            return Page();
        }
        Changes = InlineDiffBuilder.Diff(r.Text ?? "", a.Text ?? "", ignoreWhiteSpace: true, chunker: Sentences).Lines
            .Where(l => !string.IsNullOrWhiteSpace(l.Text))
            .ToList();
        return Page();
    }
}
