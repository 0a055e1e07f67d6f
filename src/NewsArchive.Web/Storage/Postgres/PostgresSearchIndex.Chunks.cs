using System.Text;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage.Postgres;

public sealed partial class PostgresSearchIndex
{
    /// <summary>
    /// The lexeme prefix of each column, in <see cref="IndexColumns"/>' order (the bits' and
    /// <see cref="IndexRow"/>'s): one tsvector holds all seven, and a phrase in several columns is an OR over prefixes.
    /// </summary>
    private const string Prefixes = "ABCDEFG";

    private static IEnumerable<char> PrefixesOf(IndexColumns columns) => Prefixes.Where((_, i) => columns.HasFlag((IndexColumns)(1 << i)));

    /// <summary>PostgreSQL keeps at most 256 positions of a lexeme (it drops the others silently).</summary>
    private const int MaxPositionsPerLexeme = 256;

    /// <summary>Positions clamp at 16,383: a window of a column's stream stays below.</summary>
    private const int MaxWindow = 16_000;

    /// <summary>
    /// Tokens a window shares with the next: a phrase is at most 64 index tokens (SearchQuery),
    /// so every phrase lies whole in one window. Every window but a stream's last holds at least
    /// 256 tokens (the first lexeme to reach 256 positions ends it), more than the overlap.
    /// </summary>
    private const int Overlap = 63;

    /// <summary>Bytes of a column's window in the tsvector, at most: seven fit in its 1 MB.</summary>
    private const int WindowBytes = 140_000;

    /// <summary>
    /// A lexeme is at most 2,047 bytes. A longer token (a Latin word of thousands of letters) can
    /// never be a query's, which is at most 1,000 characters: it is stored as a token no query
    /// makes, which keeps its place so that a phrase does not bridge it.
    /// </summary>
    private const int MaxLexemeBytes = 2_000;

    private const string Overlong = "\u00A6\u00A6\u00A6\u00A6";

    /// <summary>Tokens of each body column that the ranking vector keeps: the lead, where a news article says what it is about.</summary>
    private const int LeadTokens = 64;

    /// <summary>
    /// The tsvector literals of an article's chunks (chunk i holds window i of each column), and its
    /// ranking vector: the title columns and the lead of the body ones, at their positions in chunk 0.
    /// Ranking reads that small vector instead of detoasting every chunk (docs/benchmarks.md).
    /// </summary>
    private static (List<string> Chunks, string Rank) Chunks(IndexRow r)
    {
        var columns = r.Streams;
        var tokens = columns.Select(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => Encoding.UTF8.GetByteCount(t) > MaxLexemeBytes ? Overlong : t).ToArray()).ToArray();
        var windows = tokens.Select(Windows).ToArray();
        var count = Math.Max(1, windows.Max(w => w.Count));
        var positions = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        void Append(StringBuilder sb, int col, int start, int end)
        {
            positions.Clear();
            for (var k = start; k < end; k++)
            {
                var t = tokens[col][k];
                if (positions.TryGetValue(t, out var p))
                {
                    p.Append(',');
                }
                else
                {
                    positions[t] = p = new StringBuilder();
                }
                p.Append(k - start + 1);
            }
            foreach (var (t, p) in positions)
            {
                sb.Append(Lexeme(Prefixes[col], t)).Append(':').Append(p).Append(' ');
            }
        }
        var chunks = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var sb = new StringBuilder();
            for (var col = 0; col < columns.Length; col++)
            {
                if (i < windows[col].Count)
                {
                    Append(sb, col, windows[col][i].Start, windows[col][i].End);
                }
            }
            chunks.Add(sb.ToString());
        }
        var rank = new StringBuilder();
        for (var col = 0; col < columns.Length - 1; col++)
        {
            if (windows[col].Count > 0)
            {
                var (start, end) = windows[col][0];
                Append(rank, col, start, IndexColumns.Title.HasFlag((IndexColumns)(1 << col)) ? end : Math.Min(end, start + LeadTokens));
            }
        }
        return (chunks, rank.ToString());
    }

    /// <summary>The [start, end) windows of one column's tokens, each within PostgreSQL's limits.</summary>
    private static List<(int Start, int End)> Windows(string[] tokens)
    {
        var windows = new List<(int, int)>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = 0;
        while (start < tokens.Length)
        {
            counts.Clear();
            var bytes = 0;
            var end = start;
            while (end < tokens.Length && end - start < MaxWindow)
            {
                var t = tokens[end];
                var n = counts.GetValueOrDefault(t) + 1;
                // A new lexeme costs its bytes and an entry; each position two bytes.
                var cost = (n == 1 ? Encoding.UTF8.GetByteCount(t) + 9 : 0) + 2;
                if (n > MaxPositionsPerLexeme || bytes + cost > WindowBytes)
                {
                    break;
                }
                counts[t] = n;
                bytes += cost;
                end++;
            }
            windows.Add((start, end));
            if (end == tokens.Length)
            {
                break;
            }
            start = end - Overlap;
        }
        return windows;
    }

    /// <summary>A quoted lexeme for a tsvector or tsquery literal.</summary>
    private static string Lexeme(char prefix, string token) =>
        "'" + prefix + token.Replace("\\", "\\\\").Replace("'", "''") + "'";
}
