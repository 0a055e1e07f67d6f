using System.Collections.Concurrent;
using System.Security.Cryptography;
using NewsArchive.Web.Media;
using NewsArchive.Web.Model;
using NewsArchive.Web.Reader;
using NewsArchive.Web.Search;

namespace NewsArchive.Web.Ingest;

/// <summary>The parser threads: each file read, hashed, and if it changed, parsed and tokenized.</summary>
public sealed partial class Ingester
{
    private void Parse(BlockingCollection<List<Work>> input, BlockingCollection<List<Parsed>> output, ParseJournal journal, int slot, CancellationToken ct)
    {
        // Outside any file's parse budget (see ArticleReader.WarmUp).
        ArticleReader.WarmUp();
        foreach (var chunk in input.GetConsumingEnumerable(ct))
        {
            output.Add(chunk.ConvertAll(w => ParseOne(w, journal, slot)), ct);
        }
    }

    private Parsed ParseOne(Work w, ParseJournal journal, int slot)
    {
        if (SeedFile.Read(w.Path, out var unreadable) is not { } bytes)
        {
            return new Parsed(w, "", null, null, null, unreadable);
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        w = w with { Size = bytes.Length };
        if (hash == w.PreviousHash)
        {
            return new Parsed(w, hash, null, null, null, null);
        }
        journal.Begin(slot, w.Path);
        try
        {
            var (read, outcome) = ArticleReader.Read(bytes, w.Path, DateTimeOffset.UtcNow);
            if (read is null)
            {
                return new Parsed(w, hash, null, null, outcome, null);
            }
            var (outlet, byline) = Outlets.Resolve(read.Url, read.Source);
            var article = read with { Outlet = outlet.Id, Byline = byline };
            // Tokenized here, on the parser thread: it is the CPU-heavy half of reading an article.
            var notes = new List<string>(outcome.Notes);
            var (document, contentHash, identifies) = IndexDocument.WithContentHash(article, notes);
            return new Parsed(w, hash, article, document, outcome with { Notes = notes }, null)
            {
                ContentHash = contentHash,
                ContentIdentifies = identifies,
                Outlet = outlet,
                Images = MediaHtml.ImageUrls(article.Html, article.LeadImage),
                Story = Stories && article.Published is { } published
                    ? new StoryItem(0, published.ToUnixTimeMilliseconds(), article.Outlet, StoryThreading.Features(article.Title, article.Text, Names))
                    : null,
            };
        }
        catch (ParseBudgetExceededException e)
        {
            return new Parsed(w, hash, null, null, null, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Parsed(w, hash, null, null, null, $"cannot parse: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            journal.End(slot);
        }
    }
}
