namespace NewsArchive.Web.Media;

/// <summary>The type of stored bytes, from the bytes themselves: the name and the origin's Content-Type are not trusted.</summary>
public static class ImageType
{
    /// <summary>image/jpeg, image/png, image/gif, image/webp, image/avif, or null for anything else (SVG, HTML, …).</summary>
    public static string? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        // ISO BMFF: a box size, "ftyp", the major brand, a version, then compatible brands.
        if (b.Length >= 16 && b[4..8].SequenceEqual("ftyp"u8))
        {
            var size = (int)Math.Min(b.Length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b));
            for (var i = 8; i + 4 <= size; i += i == 8 ? 8 : 4)
            {
                if (b[i..(i + 4)].SequenceEqual("avif"u8) || b[i..(i + 4)].SequenceEqual("avis"u8))
                {
                    return "image/avif";
                }
            }
        }
        return null;
    }

    /// <summary>What refused bytes look like, for the failure's reason.</summary>
    public static string Describe(ReadOnlySpan<byte> b)
    {
        var head = System.Text.Encoding.UTF8.GetString(b[..Math.Min(b.Length, 256)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        return head.Contains("<svg", StringComparison.Ordinal) ? "SVG (refused: it can carry script)"
            : head.StartsWith('<') ? "HTML or XML"
            : b.Length == 0 ? "empty"
            : "unknown bytes";
    }
}
