using System.Collections.Concurrent;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Ingest;

/// <summary>The walk: which files under the roots are new or changed since the last run.</summary>
public sealed partial class Ingester
{
    /// <summary>
    /// New and changed files under the roots; those an earlier ingest died on go to <paramref name="deferred"/>,
    /// and every file found to <paramref name="present"/> (what is not there is gone: Ingester.Deletions.cs).
    /// </summary>
    private void Walk(IEnumerable<string> roots, BlockingCollection<List<Work>> output, IngestSummary summary, List<Work> deferred,
        HashSet<string> present, CancellationToken ct)
    {
        using var c = _db.OpenPrimary();
        var chunk = new List<Work>(ChunkSize);
        foreach (var path in roots.SelectMany(EnumerateFiles))
        {
            ct.ThrowIfCancellationRequested();
            present.Add(path);
            FileInfo info;
            try
            {
                info = new FileInfo(path);
                _ = info.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Report(summary, new FileEvent(path, FileStatus.Rejected, $"cannot read: {e.Message}"));
                continue;
            }
            Interlocked.Increment(ref summary.Seen);
            var mtime = info.LastWriteTimeUtc.Ticks;
            var known = SourceFileStore.Get(c, path);
            if (known is not null && known.Size == info.Length && known.Mtime == mtime)
            {
                Interlocked.Increment(ref summary.Unchanged);
                continue;
            }
            var w = new Work(path, info.Length, mtime, known?.Hash);
            if (known?.Crashes > 0)
            {
                deferred.Add(w);
                continue;
            }
            chunk.Add(w);
            if (chunk.Count == ChunkSize)
            {
                output.Add(chunk, ct);
                chunk = new List<Work>(ChunkSize);
            }
        }
        if (chunk.Count > 0)
        {
            output.Add(chunk, ct);
        }
    }

    /// <summary>
    /// Files below a folder (or the file itself), sorted, without following links (no loops); none when
    /// it is missing (a folder unmounted or moved: the deletions keep what it held, Ingester.Deletions.cs).
    /// </summary>
    public static IEnumerable<string> EnumerateFiles(string root)
    {
        var full = Path.GetFullPath(root);
        if (File.Exists(full))
        {
            yield return full;
            yield break;
        }
        if (!Directory.Exists(full))
        {
            yield break;
        }
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden,
            ReturnSpecialDirectories = false,
        };
        // Sorted so every run (and every machine) meets duplicates in the same order.
        foreach (var f in Directory.EnumerateFiles(full, "*", options).Order(StringComparer.Ordinal))
        {
            yield return f;
        }
    }
}
