using System.IO.Compression;

namespace NewsArchive.Web.Reader;

/// <summary>
/// How rare each term is in the archive: in how many of its articles' titles and leads it is.
/// Computed from the whole archive by <c>stories rebuild</c> (and by an ingest that grew the
/// archive by a quarter) and used as it is until then, so the threads an ingest forms do not
/// depend on the order the articles came in.
/// </summary>
public sealed class StoryWeights(int articles, Dictionary<long, int> frequencies)
{
    public int Articles { get; } = articles;

    /// <summary>A term in more than this share of the articles counts neither in similarity nor in finding candidates (each would be a long list to walk).</summary>
    public const double CommonShare = 0.05;

    /// <summary>In a small archive, a term in this many articles still counts: the lists are short, and the share says little.</summary>
    public const int CommonFloor = 20;

    // Terms seen once are not kept: an unknown term is as rare as one seen once.
    private readonly Dictionary<long, int> _frequencies = frequencies;

    public static StoryWeights Of(IEnumerable<IEnumerable<long>> articles)
    {
        var df = new Dictionary<long, int>();
        var n = 0;
        foreach (var terms in articles)
        {
            n++;
            foreach (var t in terms)
            {
                df[t] = df.GetValueOrDefault(t) + 1;
            }
        }
        return new StoryWeights(n, df.Where(p => p.Value > 1).ToDictionary(p => p.Key, p => p.Value));
    }

    /// <summary>The inverse document frequency; 0 for a term too common to tell stories apart.</summary>
    public double Idf(long term)
    {
        var df = Math.Max(1, _frequencies.GetValueOrDefault(term));
        return df > Math.Max(CommonFloor, CommonShare * Articles) ? 0 : Math.Log((Articles + 1.0) / df);
    }

    /// <summary>The weights as stored: gzip of the article count, then each term and its count, in term order.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(new GZipStream(buffer, CompressionLevel.Fastest)))
        {
            w.Write(Articles);
            w.Write(_frequencies.Count);
            foreach (var (t, df) in _frequencies.OrderBy(p => p.Key))
            {
                w.Write(t);
                w.Write(df);
            }
        }
        return buffer.ToArray();
    }

    public static StoryWeights FromBytes(byte[] bytes)
    {
        using var r = new BinaryReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        var n = r.ReadInt32();
        var count = r.ReadInt32();
        var df = new Dictionary<long, int>(count);
        for (var i = 0; i < count; i++)
        {
            df[r.ReadInt64()] = r.ReadInt32();
        }
        return new StoryWeights(n, df);
    }
}
