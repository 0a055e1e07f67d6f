using DiffPlex.Chunkers;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Pages;

/// <summary>/a/{id}/revision/{n}: an earlier version of an article, and what the current one changed, sentence by sentence
/// (the stored text has no paragraph breaks; a word diff of Chinese, which has no spaces, would be whole sentences anyway).</summary>
public sealed class RevisionModel(Database db) : PageModel
{
    public ArticleRow Article { get; private set; } = new();
    public ArticleRevision Revision { get; private set; } = new();

    private static readonly DelimiterChunker Sentences = new(['.', '!', '?', ';', '。', '！', '？', '；']);

    /// <summary>The sentences of both versions in order: kept, removed (only in this one) or added (only in the current one).</summary>
    public IReadOnlyList<DiffPiece> Changes { get; private set; } = [];

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
        Changes = InlineDiffBuilder.Diff(r.Text ?? "", a.Text ?? "", ignoreWhiteSpace: true, chunker: Sentences).Lines
            .Where(l => !string.IsNullOrWhiteSpace(l.Text))
            .ToList();
        return Page();
    }
}
