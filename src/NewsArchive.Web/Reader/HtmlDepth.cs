namespace NewsArchive.Web.Reader;

/// <summary>
/// One linear pass over an HTML body that models the HTML5 tokenizer (comments, raw text, script
/// escapes, quoted attributes, tags cut by the end of input) and the tree builder's stack of open
/// elements (end tags that close nothing or are blocked by scope are ignored, implied table
/// elements, p/li/dd closed by blocks, active formatting elements reconstructed). Its depth is an
/// upper bound of the stack AngleSharp builds, whose cost is quadratic in depth; where the model
/// is unsure it keeps elements open. It stops as soon as either limit is passed, so its own work
/// is linear in the input whatever the input is.
/// </summary>
public static partial class HtmlDepth
{
    /// <summary>The deepest stack seen (html and body included) and the elements created.</summary>
    public readonly record struct Shape(int Depth, int Elements);

    [Flags]
    private enum Kind
    {
        None = 0,
        Special = 1 << 0,
        Scope = 1 << 1,
        Button = 1 << 2,
        List = 1 << 3,
        TableScope = 1 << 4,
        Void = 1 << 5,
        Formatting = 1 << 6,
        Marker = 1 << 7,
        ClosesP = 1 << 8,
        RawText = 1 << 9,
        Script = 1 << 10,
        Heading = 1 << 11,
        TablePart = 1 << 12,
        Ignored = 1 << 13,
        Foreign = 1 << 14,
        Breakout = 1 << 15,
        AddressDivP = 1 << 16,
        Integration = 1 << 17,
    }

    private static readonly Dictionary<string, Kind> Kinds = BuildKinds();
    private static readonly Dictionary<string, Kind>.AlternateLookup<ReadOnlySpan<char>> KindOf = Kinds.GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, Kind> BuildKinds()
    {
        var k = new Dictionary<string, Kind>(StringComparer.OrdinalIgnoreCase);
        void Add(Kind kind, string names)
        {
            foreach (var n in names.Split(' '))
            {
                k[n] = k.GetValueOrDefault(n) | kind;
            }
        }
        Add(Kind.Special, "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script search section select source style summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp");
        Add(Kind.Scope, "applet caption html table td th marquee object template");
        Add(Kind.Button, "button");
        Add(Kind.List, "ol ul");
        Add(Kind.TableScope, "html table template");
        Add(Kind.Void, "area base basefont bgsound br col embed frame hr img image input keygen link meta param source track wbr");
        Add(Kind.Formatting, "a b big code em font i nobr s small strike strong tt u");
        Add(Kind.Marker, "applet caption marquee object td th template");
        Add(Kind.ClosesP, "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form plaintext xmp li dd dt hr");
        Add(Kind.RawText, "style xmp iframe noembed noframes textarea title");
        Add(Kind.Script, "script");
        Add(Kind.Heading, "h1 h2 h3 h4 h5 h6");
        Add(Kind.TablePart, "caption colgroup tbody thead tfoot tr td th");
        Add(Kind.Ignored, "html body head frameset");
        Add(Kind.Breakout, "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var font");
        Add(Kind.AddressDivP, "address div p");
        Add(Kind.Integration, "foreignobject desc title mi mo mn ms mtext annotation-xml");
        return k;
    }

    /// <summary>The shape of <paramref name="html"/>, scanning stopped once depth passes maxDepth or elements maxElements.</summary>
    public static Shape Measure(string html, int maxDepth = int.MaxValue, int maxElements = int.MaxValue, ParseBudget? budget = null) =>
        new Scanner(html, maxDepth, maxElements, budget).Run();

    private sealed class Afe(string name, bool marker)
    {
        public readonly string Name = name;
        public readonly bool IsMarker = marker;
        public bool OnStack;
    }

    private struct Open
    {
        public string Name;
        public Kind Kind;
        public Afe? Afe;
    }

    // Indexes of the open elements of each kind that stops a search down the stack.
    private enum Bound { Special, SpecialButAddressDivP, Scope, ButtonScope, ListScope, TableScope, Html, Count }

    /// <summary>The pass itself: the tokenizer here, tags in HtmlDepth.Tags.cs, the stack in HtmlDepth.Elements.cs.</summary>
    private sealed partial class Scanner
    {
        // Fields, not primary constructor parameters: those are in scope in one part of the class only.
        private readonly string s;
        private readonly int maxDepth;
        private readonly int maxElements;
        private readonly ParseBudget? budget;
        private readonly List<Open> stack = [];
        private readonly Dictionary<string, List<int>> byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<int>[] bounds = [.. Enumerable.Range(0, (int)Bound.Count).Select(_ => new List<int>())];
        private readonly List<Afe> afe = [];
        private readonly Dictionary<string, int> afeNames = new(StringComparer.OrdinalIgnoreCase);
        private int depth, elements;
        private bool over;

        // html and body are always open.
        private const int Implied = 2;

        public Scanner(string s, int maxDepth, int maxElements, ParseBudget? budget)
        {
            this.s = s;
            this.maxDepth = maxDepth;
            this.maxElements = maxElements;
            this.budget = budget;
        }

        public Shape Run()
        {
            var i = 0;
            for (var steps = 1; !over && i < s.Length; steps++)
            {
                var lt = s.IndexOf('<', i);
                if (lt != i)
                {
                    // Text, even white space, re-opens the formatting elements a block closed.
                    Reconstruct();
                }
                if (lt < 0)
                {
                    break;
                }
                if ((steps & 1023) == 0)
                {
                    budget?.Check();
                }
                i = Markup(lt);
            }
            return new Shape(Math.Max(depth, Implied), elements);
        }

        private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';

        /// <summary>Handles what starts at '&lt;'; returns where text resumes.</summary>
        private int Markup(int lt)
        {
            if (lt + 1 >= s.Length)
            {
                return s.Length;
            }
            var c = s[lt + 1];
            if (c == '!')
            {
                if (string.CompareOrdinal(s, lt + 2, "--", 0, 2) == 0)
                {
                    return CommentEnd(lt + 4);
                }
                if (InForeign && string.CompareOrdinal(s, lt + 2, "[CDATA[", 0, 7) == 0)
                {
                    var end = s.IndexOf("]]>", lt + 9, StringComparison.Ordinal);
                    return end < 0 ? s.Length : end + 3;
                }
                return BogusComment(lt + 2);
            }
            if (c == '?')
            {
                return BogusComment(lt + 1);
            }
            if (c == '/')
            {
                if (lt + 2 < s.Length && s[lt + 2] == '>')
                {
                    return lt + 3;
                }
                if (lt + 2 < s.Length && char.IsAsciiLetter(s[lt + 2]))
                {
                    var (nameEnd, end, _) = Tag(lt + 2);
                    if (end < 0)
                    {
                        return s.Length;
                    }
                    EndTag(s.AsSpan(lt + 2, nameEnd - lt - 2));
                    return end;
                }
                return BogusComment(lt + 2);
            }
            if (!char.IsAsciiLetter(c))
            {
                return lt + 1;
            }
            {
                var (nameEnd, end, selfClosing) = Tag(lt + 1);
                if (end < 0)
                {
                    return s.Length;
                }
                return StartTag(s.AsSpan(lt + 1, nameEnd - lt - 1), selfClosing, end);
            }
        }

        private int CommentEnd(int from)
        {
            if (from < s.Length && s[from] == '>')
            {
                return from + 1;
            }
            if (from + 1 < s.Length && s[from] == '-' && s[from + 1] == '>')
            {
                return from + 2;
            }
            for (var j = s.IndexOf("--", from, StringComparison.Ordinal); j >= 0; j = s.IndexOf("--", j + 1, StringComparison.Ordinal))
            {
                if (j + 2 < s.Length && s[j + 2] == '>')
                {
                    return j + 3;
                }
                if (j + 3 < s.Length && s[j + 2] == '!' && s[j + 3] == '>')
                {
                    return j + 4;
                }
            }
            return s.Length;
        }

        private int BogusComment(int from)
        {
            var end = s.IndexOf('>', Math.Min(from, s.Length));
            return end < 0 ? s.Length : end + 1;
        }
    }
}
