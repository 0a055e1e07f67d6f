using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NewsArchive.Web.Ingest;

/// <summary>
/// Reads a seed file's bytes safely: the path is opened once, without following a link and without
/// blocking (a FIFO), and the open handle, not the path, is checked to be a regular file under the
/// size cap before it is read. What the walker saw of the path earlier does not matter: it may
/// since have been swapped for a link to /dev/zero or a FIFO.
/// </summary>
public static partial class SeedFile
{
    /// <summary>No real article comes near this; a larger file would cost hundreds of MB to parse.</summary>
    public const long MaxBytes = 16L << 20;

    /// <summary>The file's bytes, or why they cannot be read (<paramref name="reason"/>).</summary>
    public static byte[]? Read(string path, out string? reason)
    {
        reason = null;
        if (!OperatingSystem.IsLinux())
        {
            return ReadPortable(path, out reason);
        }
        var fd = open(path, ORdOnly | ONonBlock | OCloExec | NoFollow);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            reason = errno == ELoop ? "a symbolic link (links are not followed)" : $"cannot open: {Marshal.GetPInvokeErrorMessage(errno)}";
            return null;
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var stat = new byte[256];
        if (statx(fd, "", AtEmptyPath, StatxBasicStats, stat) != 0)
        {
            reason = $"cannot stat: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
            return null;
        }
        // struct statx: stx_mode (u16) at 0x1C, stx_size (u64) at 0x28, the same on every architecture.
        var mode = BitConverter.ToUInt16(stat, 0x1C) & SIfMt;
        if (mode != SIfReg)
        {
            reason = $"not a regular file ({KindOf(mode)})";
            return null;
        }
        var size = BitConverter.ToInt64(stat, 0x28);
        return ReadHandle(handle, size, out reason);
    }

    private static byte[]? ReadPortable(string path, out string? reason)
    {
        reason = null;
        try
        {
            if (new FileInfo(path).LinkTarget is not null)
            {
                reason = "a symbolic link (links are not followed)";
                return null;
            }
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return ReadHandle(handle, RandomAccess.GetLength(handle), out reason);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot read: {e.Message}";
            return null;
        }
    }

    /// <summary>Reads at most the cap, even if the file grows while it is read.</summary>
    private static byte[]? ReadHandle(SafeFileHandle handle, long size, out string? reason)
    {
        reason = null;
        if (size > MaxBytes)
        {
            reason = TooLarge(size);
            return null;
        }
        var buffer = new byte[size];
        var read = 0;
        try
        {
            for (int n; read < buffer.Length && (n = RandomAccess.Read(handle, buffer.AsSpan(read), read)) > 0;)
            {
                read += n;
            }
            // One byte more than the size said: the file grew while it was read.
            Span<byte> more = stackalloc byte[1];
            if (read == size && RandomAccess.Read(handle, more, read) > 0)
            {
                reason = "the file changed while it was read";
                return null;
            }
        }
        catch (IOException e)
        {
            reason = $"cannot read: {e.Message}";
            return null;
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }

    public static string TooLarge(long size) => $"too large ({size / (1 << 20)} MiB; the limit is {MaxBytes >> 20} MiB)";

    private static string KindOf(int mode) => mode switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x4000 => "a directory",
        0xC000 => "a socket",
        _ => "not a file",
    };

    private const int ORdOnly = 0, ONonBlock = 0x800, OCloExec = 0x80000;

    // O_NOFOLLOW is the one flag here whose value differs between Linux architectures.
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;
    private const int ELoop = 40, AtEmptyPath = 0x1000, StatxBasicStats = 0x7FF, SIfMt = 0xF000, SIfReg = 0x8000;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, int mask, byte[] buffer);
}
