namespace NewsArchive.Web.Model;

/// <summary>What became of one file in an ingest; a file lands in exactly one of these.</summary>
public enum FileStatus
{
    New,
    Updated,
    Unchanged,
    Duplicate,
    Skipped,
    Rejected,

    /// <summary>Stored (new or updated), with what the reader cut or set aside: reported, not counted apart.</summary>
    StoredWithNotes,
}

public static class FileStatuses
{
    /// <summary>The lower-case words the ingest prints (and scripts parse): "rejected: PATH: reason".</summary>
    public static string Word(this FileStatus s) => s switch
    {
        FileStatus.StoredWithNotes => "stored with notes",
        _ => s.ToString().ToLowerInvariant(),
    };
}

/// <summary>A file's fate, reported as it happens (the command prints rejected and skipped files).</summary>
public sealed record FileEvent(string Path, FileStatus Fate, string? Reason)
{
    /// <summary>The status as the command prints it.</summary>
    public string Status => Fate.Word();
}

/// <summary>Counts of one ingest run; a file lands in exactly one of them.</summary>
public sealed class IngestSummary
{
    public int New;
    public int Updated;
    public int Unchanged;
    public int Duplicates;
    public int Skipped;
    public int Rejected;
    public int Seen;
    public TimeSpan Elapsed;

    public int Processed => New + Updated + Unchanged + Duplicates + Skipped + Rejected;

    public override string ToString() =>
        $"{New} new, {Updated} updated, {Unchanged} unchanged, {Duplicates} duplicates, {Skipped} skipped (not articles), {Rejected} rejected";
}
