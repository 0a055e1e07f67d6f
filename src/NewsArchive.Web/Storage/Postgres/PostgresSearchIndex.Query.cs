using Dapper;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage.Postgres;

public sealed partial class PostgresSearchIndex
{
    /// <summary>
    /// A tree as SQL. Booleans are per article, and an article's chunks are only its parts, so:
    /// an article in one row (whole) answers the whole tree as one tsquery; a chunked one answers
    /// each OR of phrases (true when some chunk has one: a phrase lies whole in a chunk) as a
    /// tsquery, and AND and NOT over those as INTERSECT and EXCEPT of their articles.
    /// </summary>
    private sealed class Translation(DynamicParameters args, string prefix)
    {
        private int _n;

        /// <summary>The keys matching m in the sort_key range of parameters lo and hi (search_whole and search_parts: migration 0002).</summary>
        public string Matching(IndexQuery m, string lo, string hi) => Keys($"search_whole({Param(TsQuery(m))}, @{lo}, @{hi})", m, lo, hi);

        /// <summary>
        /// Keys matching m that hold its newest n (parameter n): of the whole rows only the newest n,
        /// ordered by the index under RUM (search_whole_newest: migration 0009), and every chunked match.
        /// A phrase of several tokens takes every match instead: the ordered index has no positions,
        /// so each row it returned was rechecked against its whole tsvector, slower than the
        /// positional index's every match (国务院 18 → 26 ms: docs/benchmarks.md).
        /// </summary>
        public string Newest(IndexQuery m, string lo, string hi, string n) => Positional(m)
            ? Matching(m, lo, hi)
            : Keys($"search_whole_newest({Param(TsQuery(m))}, @{lo}, @{hi}, @{n})", m, lo, hi);

        private static bool Positional(IndexQuery n) => n switch
        {
            IndexQuery.Phrase p => p.Tokens.Count > 1,
            IndexQuery.AnyOf a => a.Parts.Any(Positional),
            IndexQuery.AllOf a => a.Parts.Any(Positional),
            IndexQuery.Except e => Positional(e.Left) || Positional(e.Right),
            _ => false,
        };

        private string Keys(string whole, IndexQuery m, string lo, string hi) =>
            $"SELECT k AS sort_key FROM {whole} k UNION ALL {Parts(m, $", @{lo}, @{hi}")}";

        /// <summary>
        /// Title hits first, then ts_rank of the title and lead for the positive phrases, over each
        /// article's ranking vector (s: its chunk 0), which holds every title lexeme at its position.
        /// </summary>
        public string RankOrder(IndexQuery m)
        {
            var positive = Positives(m).Where(p => p.Columns != IndexColumns.Facets).ToList();
            var title = positive.Select(p => p with { Columns = p.Columns & IndexColumns.Title }).Where(p => p.Columns != 0).ToList();
            var titleHit = title.Count == 0 ? "false" : $"s.rank @@ {Param(TsQuery(new IndexQuery.AnyOf(title)))}";
            var score = positive.Count == 0 ? "0" : $"ts_rank(s.rank, {Param(TsQuery(new IndexQuery.AnyOf(positive)))})";
            return $"{titleHit} DESC, {score} DESC";
        }

        private string Parts(IndexQuery n, string range) => n switch
        {
            _ when OrOfPhrases(n) => $"(SELECT k FROM search_parts({Param(TsQuery(n))}{range}) k)",
            IndexQuery.AnyOf a => "(" + string.Join(" UNION ", a.Parts.Select(p => Parts(p, range))) + ")",
            IndexQuery.AllOf a => "(" + string.Join(" INTERSECT ", a.Parts.Select(p => Parts(p, range))) + ")",
            IndexQuery.Except e => $"({Parts(e.Left, range)} EXCEPT {Parts(e.Right, range)})",
            _ => throw new ArgumentOutOfRangeException(nameof(n)),
        };

        private static bool OrOfPhrases(IndexQuery n) => n is IndexQuery.Phrase || (n is IndexQuery.AnyOf a && a.Parts.All(OrOfPhrases));

        private static IEnumerable<IndexQuery.Phrase> Positives(IndexQuery n) => n switch
        {
            IndexQuery.Phrase p => [p],
            IndexQuery.AnyOf a => a.Parts.SelectMany(Positives),
            IndexQuery.AllOf a => a.Parts.SelectMany(Positives),
            IndexQuery.Except e => Positives(e.Left),
            _ => [],
        };

        /// <summary>
        /// The tsquery of a tree. A phrase is an OR over its columns of phrases in one column:
        /// <c>(A:x | D:x) &lt;-&gt; (A:y | D:y)</c> would take x from one column and y from another.
        /// </summary>
        private static string TsQuery(IndexQuery n) => n switch
        {
            IndexQuery.Phrase p => string.Join(" | ", PrefixesOf(p.Columns).Select(col => "(" + string.Join(" <-> ", p.Tokens.Select(t => Lexeme(col, t))) + ")")),
            IndexQuery.AnyOf a => string.Join(" | ", a.Parts.Select(x => "(" + TsQuery(x) + ")")),
            IndexQuery.AllOf a => string.Join(" & ", a.Parts.Select(x => "(" + TsQuery(x) + ")")),
            IndexQuery.Except e => $"({TsQuery(e.Left)}) & !({TsQuery(e.Right)})",
            _ => throw new ArgumentOutOfRangeException(nameof(n)),
        };

        private string Param(string tsquery)
        {
            var name = prefix + _n++;
            args.Add(name, tsquery);
            return "@" + name + "::tsquery";
        }
    }
}
