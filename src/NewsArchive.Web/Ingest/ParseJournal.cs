using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace NewsArchive.Web.Ingest;

/// <summary>
/// Which file each parser thread is parsing, in a file beside the database (one per process), so
/// that a file that kills the process (a stack overflow, the OOM killer) is known at the next run
/// instead of being parsed again at every start. One pwrite when a parse starts and one when it
/// ends; no fsync: the page cache outlives the process, and a machine crash is no parser's fault.
/// </summary>
public sealed class ParseJournal : IDisposable
{
    private const int SlotBytes = 8192;
    private readonly SafeFileHandle _file;
    private readonly string _path;

    private ParseJournal(string path, SafeFileHandle file)
    {
        _path = path;
        _file = file;
    }

    public static ParseJournal Create(string databasePath)
    {
        var path = $"{databasePath}.parsing-{Environment.ProcessId}";
        return new(path, File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite));
    }

    /// <summary>The files that were being parsed when an ingest process of this database died; their journals are removed.</summary>
    public static IReadOnlyList<string> Recover(string databasePath)
    {
        var dir = Path.GetDirectoryName(databasePath)!;
        var prefix = Path.GetFileName(databasePath) + ".parsing-";
        var suspects = new List<string>();
        foreach (var journal in Directory.EnumerateFiles(dir, prefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(journal)[prefix.Length..], out var pid) || (pid != Environment.ProcessId && IsRunning(pid)))
            {
                continue;
            }
            var bytes = File.ReadAllBytes(journal);
            for (var at = 0; at + 4 <= bytes.Length; at += SlotBytes)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
                if (length > 0 && length <= SlotBytes - 4 && at + 4 + length <= bytes.Length)
                {
                    suspects.Add(Encoding.UTF8.GetString(bytes, at + 4, length));
                }
            }
            File.Delete(journal);
        }
        return suspects;
    }

    // Elsewhere than Linux, another process's journal is never taken for a dead one's.
    private static bool IsRunning(int pid) => !OperatingSystem.IsLinux() || Directory.Exists($"/proc/{pid}");

    public void Begin(int slot, string file)
    {
        Span<byte> bytes = stackalloc byte[SlotBytes];
        var length = Encoding.UTF8.GetBytes(file, bytes[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        RandomAccess.Write(_file, bytes[..(4 + length)], (long)slot * SlotBytes);
    }

    public void End(int slot) => RandomAccess.Write(_file, stackalloc byte[4], (long)slot * SlotBytes);

    public void Dispose()
    {
        _file.Dispose();
        File.Delete(_path);
    }
}
