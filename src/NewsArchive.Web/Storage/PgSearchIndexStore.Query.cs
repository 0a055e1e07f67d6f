using System.Text;
using Dapper;

namespace NewsArchive.Web.Storage;

public static partial class PgSearchIndexStore
{
    /// <summary>An FTS5 expression as a tree: a phrase in some columns (their prefixes), OR, AND, and binary NOT.</summary>
    private abstract record Node;

    private sealed record Phrase(string Columns, string[] Tokens) : Node;

    private sealed record Any(Node[] Parts) : Node;

    private sealed record All(Node[] Parts) : Node;

    private sealed record Except(Node Left, Node Right) : Node;

    /// <summary>
    /// Parses the expressions IndexPlan and SearchEngine.Related make: quoted phrases of
    /// space-separated tokens, column filters (<c>col : X</c>, <c>{col col} : X</c>), AND (also
    /// implicit), OR, NOT and parentheses, with FTS5's precedence (NOT, then AND, then OR).
    /// </summary>
    private static Node Parse(string m)
    {
        var p = new Parser(m);
        var node = p.Or(Prefixes);
        p.SkipSpace();
        return p.AtEnd ? node : throw p.Error();
    }

    private sealed class Parser(string s)
    {
        private int _i;

        public bool AtEnd => _i >= s.Length;

        public FormatException Error() => new($"unexpected FTS5 expression at {_i}: {s}");

        public void SkipSpace()
        {
            while (_i < s.Length && s[_i] == ' ')
            {
                _i++;
            }
        }

        public Node Or(string columns)
        {
            var parts = new List<Node> { And(columns) };
            while (Keyword("OR"))
            {
                parts.Add(And(columns));
            }
            return parts.Count == 1 ? parts[0] : new Any([.. parts]);
        }

        private Node And(string columns)
        {
            var parts = new List<Node> { Not(columns) };
            while (true)
            {
                if (Keyword("AND"))
                {
                    parts.Add(Not(columns));
                }
                else if (StartsPrimary())
                {
                    parts.Add(Not(columns));
                }
                else
                {
                    return parts.Count == 1 ? parts[0] : new All([.. parts]);
                }
            }
        }

        private Node Not(string columns)
        {
            var node = Primary(columns);
            while (Keyword("NOT"))
            {
                node = new Except(node, Primary(columns));
            }
            return node;
        }

        private bool StartsPrimary()
        {
            SkipSpace();
            return !AtEnd && s[_i] != ')' && !PeekKeyword("OR") && !PeekKeyword("AND") && !PeekKeyword("NOT");
        }

        private Node Primary(string columns)
        {
            SkipSpace();
            if (AtEnd)
            {
                throw Error();
            }
            if (s[_i] == '(')
            {
                _i++;
                var inner = Or(columns);
                Expect(')');
                return inner;
            }
            if (s[_i] == '"')
            {
                return new Phrase(columns, QuotedTokens());
            }
            // A column filter narrows what follows to its columns (and to the outer filter's); a bare word is a phrase.
            var named = new List<string>();
            if (s[_i] == '{')
            {
                _i++;
                while (Peek() != '}')
                {
                    named.Add(Name());
                }
                _i++;
            }
            else
            {
                var word = Name();
                SkipSpace();
                if (AtEnd || s[_i] != ':')
                {
                    return new Phrase(columns, [word]);
                }
                named.Add(word);
            }
            Expect(':');
            var filter = string.Concat(named.Select(n => Array.IndexOf(ColumnNames, n) is var k and >= 0 ? Prefixes[k] : throw Error())
                .Where(columns.Contains));
            return Primary(filter);
        }

        private string[] QuotedTokens()
        {
            var text = new StringBuilder();
            _i++;
            while (true)
            {
                if (AtEnd)
                {
                    throw Error();
                }
                if (s[_i] == '"')
                {
                    if (_i + 1 < s.Length && s[_i + 1] == '"')
                    {
                        text.Append('"');
                        _i += 2;
                        continue;
                    }
                    _i++;
                    var tokens = text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return tokens.Length > 0 ? tokens : throw Error();
                }
                text.Append(s[_i++]);
            }
        }

        private string Name()
        {
            SkipSpace();
            var start = _i;
            while (_i < s.Length && (char.IsAsciiLetterOrDigit(s[_i]) || s[_i] == '_' || s[_i] >= 0x80))
            {
                _i++;
            }
            return _i > start ? s[start.._i] : throw Error();
        }

        private char Peek()
        {
            SkipSpace();
            return AtEnd ? throw Error() : s[_i];
        }

        private void Expect(char ch)
        {
            if (Peek() != ch)
            {
                throw Error();
            }
            _i++;
        }

        private bool PeekKeyword(string k) =>
            string.CompareOrdinal(s, _i, k, 0, k.Length) == 0 && (_i + k.Length == s.Length || s[_i + k.Length] is ' ' or '(' or '"');

        private bool Keyword(string k)
        {
            SkipSpace();
            if (!PeekKeyword(k))
            {
                return false;
            }
            _i += k.Length;
            return true;
        }
    }

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
        public string Matching(Node m, string lo, string hi) =>
            $"SELECT k AS sort_key FROM search_whole({Param(TsQuery(m))}, @{lo}, @{hi}) k UNION ALL {Parts(m, $", @{lo}, @{hi}")}";

        /// <summary>
        /// Title hits first, then ts_rank of the title and lead for the positive phrases, over each
        /// article's ranking vector (s: its chunk 0), which holds every title lexeme at its position.
        /// </summary>
        public string RankOrder(Node m)
        {
            var positive = Positives(m).Where(p => p.Columns != FacetPrefix).ToList();
            var title = positive.Select(p => p with { Columns = string.Concat(p.Columns.Where(TitlePrefixes.Contains)) })
                .Where(p => p.Columns.Length > 0).ToList();
            var titleHit = title.Count == 0 ? "false" : $"s.rank @@ {Param(TsQuery(new Any([.. title])))}";
            var score = positive.Count == 0 ? "0" : $"ts_rank(s.rank, {Param(TsQuery(new Any([.. positive])))})";
            return $"{titleHit} DESC, {score} DESC";
        }

        private string Parts(Node n, string range) => n switch
        {
            _ when OrOfPhrases(n) => $"(SELECT k FROM search_parts({Param(TsQuery(n))}{range}) k)",
            Any a => "(" + string.Join(" UNION ", a.Parts.Select(p => Parts(p, range))) + ")",
            All a => "(" + string.Join(" INTERSECT ", a.Parts.Select(p => Parts(p, range))) + ")",
            Except e => $"({Parts(e.Left, range)} EXCEPT {Parts(e.Right, range)})",
            _ => throw new InvalidOperationException(),
        };

        private static bool OrOfPhrases(Node n) => n is Phrase || (n is Any a && a.Parts.All(OrOfPhrases));

        private static IEnumerable<Phrase> Positives(Node n) => n switch
        {
            Phrase p => [p],
            Any a => a.Parts.SelectMany(Positives),
            All a => a.Parts.SelectMany(Positives),
            Except e => Positives(e.Left),
            _ => [],
        };

        /// <summary>
        /// The tsquery of a tree. A phrase is an OR over its columns of phrases in one column:
        /// <c>(A:x | D:x) &lt;-&gt; (A:y | D:y)</c> would take x from one column and y from another.
        /// A phrase in no column (an outer filter excludes its own) matches nothing.
        /// </summary>
        private static string TsQuery(Node n) => n switch
        {
            Phrase p when p.Columns.Length == 0 => "'\u00A6\u00A6\u00A6\u00A6'",
            Phrase p => string.Join(" | ", p.Columns.Select(col => "(" + string.Join(" <-> ", p.Tokens.Select(t => Lexeme(col, t))) + ")")),
            Any a => string.Join(" | ", a.Parts.Select(x => "(" + TsQuery(x) + ")")),
            All a => string.Join(" & ", a.Parts.Select(x => "(" + TsQuery(x) + ")")),
            Except e => $"({TsQuery(e.Left)}) & !({TsQuery(e.Right)})",
            _ => throw new InvalidOperationException(),
        };

        private string Param(string tsquery)
        {
            var name = prefix + _n++;
            args.Add(name, tsquery);
            return "@" + name + "::tsquery";
        }
    }
}
