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
public static class HtmlDepth
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

    private sealed class Scanner(string s, int maxDepth, int maxElements, ParseBudget? budget)
    {
        private readonly List<Open> stack = [];
        private readonly Dictionary<string, List<int>> byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<int>[] bounds = [.. Enumerable.Range(0, (int)Bound.Count).Select(_ => new List<int>())];
        private readonly List<Afe> afe = [];
        private readonly Dictionary<string, int> afeNames = new(StringComparer.OrdinalIgnoreCase);
        private int depth, elements;
        private bool over;

        // html and body are always open.
        private const int Implied = 2;

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

        /// <summary>A tag's name end, the index after its '&gt;' (-1 when the input ends first: the tokenizer drops it) and its self-closing flag.</summary>
        private (int NameEnd, int End, bool SelfClosing) Tag(int name)
        {
            var j = name;
            while (j < s.Length && !IsSpace(s[j]) && s[j] != '/' && s[j] != '>')
            {
                j++;
            }
            var nameEnd = j;
            while (j < s.Length)
            {
                var c = s[j];
                if (c == '>')
                {
                    return (nameEnd, j + 1, false);
                }
                if (c == '/')
                {
                    if (j + 1 < s.Length && s[j + 1] == '>')
                    {
                        return (nameEnd, j + 2, true);
                    }
                    j++;
                    continue;
                }
                if (IsSpace(c))
                {
                    j++;
                    continue;
                }
                // An attribute: its name, then an optional value, quoted or not.
                j++;
                while (j < s.Length && !IsSpace(s[j]) && s[j] is not '/' and not '>' and not '=')
                {
                    j++;
                }
                while (j < s.Length && IsSpace(s[j]))
                {
                    j++;
                }
                if (j >= s.Length || s[j] != '=')
                {
                    continue;
                }
                j++;
                while (j < s.Length && IsSpace(s[j]))
                {
                    j++;
                }
                if (j < s.Length && s[j] is '"' or '\'')
                {
                    var close = s.IndexOf(s[j], j + 1);
                    if (close < 0)
                    {
                        return (nameEnd, -1, false);
                    }
                    j = close + 1;
                    continue;
                }
                while (j < s.Length && !IsSpace(s[j]) && s[j] != '>')
                {
                    j++;
                }
            }
            return (nameEnd, -1, false);
        }

        private bool InForeign => stack.Count > 0 && (stack[^1].Kind & (Kind.Foreign | Kind.Integration)) == Kind.Foreign;

        private static Kind KindFor(ReadOnlySpan<char> name) => KindOf.TryGetValue(name, out var k) ? k : Kind.None;

        private int StartTag(ReadOnlySpan<char> name, bool selfClosing, int end)
        {
            var kind = KindFor(name);
            if (InForeign && (kind & Kind.Breakout) == 0)
            {
                // Foreign content honours the self-closing flag; its elements are neither raw text nor special.
                Created();
                if (!selfClosing)
                {
                    Push(name, Kind.Foreign | (kind & Kind.Integration));
                }
                return end;
            }
            if (name.Equals("svg", StringComparison.OrdinalIgnoreCase) || name.Equals("math", StringComparison.OrdinalIgnoreCase))
            {
                Reconstruct();
                Created();
                if (!selfClosing)
                {
                    Push(name, Kind.Foreign);
                }
                return end;
            }
            if ((kind & Kind.Ignored) != 0)
            {
                return end;
            }
            if ((kind & Kind.TablePart) != 0)
            {
                return TablePart(name, kind, end);
            }
            if ((kind & Kind.ClosesP) != 0)
            {
                CloseP();
            }
            if ((kind & Kind.Heading) != 0 && stack.Count > 0 && (stack[^1].Kind & Kind.Heading) != 0)
            {
                PopTo(stack.Count - 1);
            }
            if (Is(name, "li"))
            {
                CloseItem(Last("li"));
            }
            else if (Is(name, "dd") || Is(name, "dt"))
            {
                CloseItem(Math.Max(Last("dd"), Last("dt")));
            }
            else if (Is(name, "option") || Is(name, "optgroup"))
            {
                if (stack.Count > 0 && Is(stack[^1].Name, "option"))
                {
                    PopTo(stack.Count - 1);
                }
            }
            else if (Is(name, "button") && InScope(Last("button"), Bound.Scope))
            {
                PopTo(Last("button"));
            }
            else if (Is(name, "a") || Is(name, "nobr"))
            {
                FormattingEnd(name);
            }
            if ((kind & Kind.ClosesP) == 0)
            {
                Reconstruct();
            }
            if ((kind & Kind.Void) != 0)
            {
                Created();
                return end;
            }
            Push(name, kind);
            if (Is(name, "plaintext"))
            {
                return s.Length;
            }
            if ((kind & Kind.Script) != 0)
            {
                return ScriptEnd(end);
            }
            if ((kind & Kind.RawText) != 0)
            {
                return RawTextEnd(end, name);
            }
            return end;
        }

        private int TablePart(ReadOnlySpan<char> name, Kind kind, int end)
        {
            var table = bounds[(int)Bound.TableScope].Count > 0 ? bounds[(int)Bound.TableScope][^1] : -1;
            if (table < 0 || !Is(stack[table].Name, "table"))
            {
                // Outside a table these start tags are ignored.
                return end;
            }
            var k = table + 1;
            if (Is(name, "caption") || Is(name, "colgroup") || Is(name, "tbody") || Is(name, "thead") || Is(name, "tfoot"))
            {
                PopTo(k);
                Push(name, kind);
                return end;
            }
            if (k < stack.Count && (Is(stack[k].Name, "tbody") || Is(stack[k].Name, "thead") || Is(stack[k].Name, "tfoot")))
            {
                k++;
            }
            else
            {
                PopTo(k);
                Push("tbody", KindFor("tbody"));
                k++;
            }
            if (Is(name, "tr"))
            {
                PopTo(k);
                Push(name, kind);
                return end;
            }
            if (k < stack.Count && Is(stack[k].Name, "tr"))
            {
                PopTo(k + 1);
            }
            else
            {
                PopTo(k);
                Push("tr", KindFor("tr"));
            }
            Push(name, kind);
            return end;
        }

        private void EndTag(ReadOnlySpan<char> name)
        {
            if (InForeign)
            {
                var at = Last(name);
                var html = bounds[(int)Bound.Html].Count > 0 ? bounds[(int)Bound.Html][^1] : -1;
                if (at > html)
                {
                    PopTo(at);
                    return;
                }
            }
            var kind = KindFor(name);
            if ((kind & Kind.Ignored) != 0)
            {
                return;
            }
            if (Is(name, "br"))
            {
                Created();
                return;
            }
            if (Is(name, "p"))
            {
                if (!CloseP())
                {
                    Created();
                }
                return;
            }
            if (Is(name, "li"))
            {
                PopIfInScope(Last("li"), Bound.ListScope);
                return;
            }
            if ((kind & Kind.Heading) != 0)
            {
                var h = Math.Max(Math.Max(Last("h1"), Math.Max(Last("h2"), Last("h3"))), Math.Max(Last("h4"), Math.Max(Last("h5"), Last("h6"))));
                PopIfInScope(h, Bound.Scope);
                return;
            }
            if ((kind & (Kind.TablePart | Kind.TableScope)) != 0)
            {
                PopIfInScope(Last(name), Bound.TableScope);
                return;
            }
            if ((kind & Kind.Formatting) != 0 && FormattingEnd(name))
            {
                return;
            }
            if ((kind & (Kind.ClosesP | Kind.Button | Kind.Scope)) != 0)
            {
                PopIfInScope(Last(name), Bound.Scope);
                return;
            }
            // Any other end tag: closes the nearest element of its name unless a special element is in between.
            PopIfInScope(Last(name), Bound.Special);
        }

        /// <summary>The adoption agency, kept conservative: it pops only when no special element is above the formatting element.</summary>
        private bool FormattingEnd(ReadOnlySpan<char> name)
        {
            if (!afeNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var count) || count == 0)
            {
                return false;
            }
            for (var j = afe.Count - 1; j >= 0 && !afe[j].IsMarker; j--)
            {
                if (!Is(afe[j].Name, name))
                {
                    continue;
                }
                var entry = afe[j];
                var at = entry.OnStack ? IndexOf(entry) : -1;
                if (entry.OnStack && !InScope(at, Bound.Scope))
                {
                    return true;
                }
                afe.RemoveAt(j);
                afeNames[entry.Name]--;
                if (!entry.OnStack)
                {
                    return true;
                }
                if (InScope(at, Bound.Special))
                {
                    PopTo(at);
                }
                else
                {
                    // A furthest block: the tree builder moves it under a clone; depth stays, the element is no longer reconstructed.
                    var open = stack[at];
                    open.Afe = null;
                    stack[at] = open;
                }
                return true;
            }
            return false;
        }

        private int IndexOf(Afe entry)
        {
            var list = byName[entry.Name];
            for (var j = list.Count - 1; j >= 0; j--)
            {
                if (stack[list[j]].Afe == entry)
                {
                    return list[j];
                }
            }
            return -1;
        }

        private void CloseItem(int at)
        {
            if (at >= 0 && InScope(at, Bound.SpecialButAddressDivP))
            {
                PopTo(at);
            }
        }

        private bool CloseP() => PopIfInScope(Last("p"), Bound.ButtonScope);

        private bool PopIfInScope(int at, Bound bound)
        {
            if (at < 0 || !InScope(at, bound))
            {
                return false;
            }
            PopTo(at);
            return true;
        }

        /// <summary>No element of the bound's kind is above index <paramref name="at"/> (the element itself may be one).</summary>
        private bool InScope(int at, Bound bound)
        {
            var list = bounds[(int)bound];
            return at >= 0 && (list.Count == 0 || list[^1] <= at);
        }

        private int Last(string name) => Last(name.AsSpan());

        private int Last(ReadOnlySpan<char> name) =>
            byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var list) && list.Count > 0 ? list[^1] : -1;

        private static bool Is(ReadOnlySpan<char> a, ReadOnlySpan<char> b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);

        private void Created()
        {
            elements++;
            over |= elements > maxElements;
        }

        private void Push(ReadOnlySpan<char> name, Kind kind, Afe? reuse = null)
        {
            Created();
            if (!byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var key, out var list))
            {
                key = Kinds.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known, out _) ? known : name.ToString();
                byName[key] = list = [];
            }
            var index = stack.Count;
            list.Add(index);
            Afe? entry = null;
            if ((kind & (Kind.Formatting | Kind.Foreign)) == Kind.Formatting)
            {
                entry = reuse ?? new Afe(key, false);
                entry.OnStack = true;
                if (reuse is null)
                {
                    afe.Add(entry);
                    afeNames[key] = afeNames.GetValueOrDefault(key) + 1;
                }
            }
            else if ((kind & (Kind.Marker | Kind.Foreign)) == Kind.Marker)
            {
                afe.Add(new Afe("", true));
            }
            stack.Add(new Open { Name = key, Kind = kind, Afe = entry });
            for (var b = 0; b < (int)Bound.Count; b++)
            {
                if (Matches(kind, (Bound)b))
                {
                    bounds[b].Add(index);
                }
            }
            depth = Math.Max(depth, stack.Count + Implied);
            over |= depth > maxDepth || afe.Count > maxDepth;
        }

        private static bool Matches(Kind kind, Bound bound)
        {
            var foreign = (kind & Kind.Foreign) != 0;
            return bound switch
            {
                Bound.Special => !foreign && (kind & Kind.Special) != 0,
                Bound.SpecialButAddressDivP => !foreign && (kind & Kind.Special) != 0 && (kind & Kind.AddressDivP) == 0,
                Bound.Scope => foreign ? (kind & Kind.Integration) != 0 : (kind & Kind.Scope) != 0,
                Bound.ButtonScope => foreign ? (kind & Kind.Integration) != 0 : (kind & (Kind.Scope | Kind.Button)) != 0,
                Bound.ListScope => foreign ? (kind & Kind.Integration) != 0 : (kind & (Kind.Scope | Kind.List)) != 0,
                Bound.TableScope => !foreign && (kind & Kind.TableScope) != 0,
                _ => !foreign,
            };
        }

        private void PopTo(int index)
        {
            while (stack.Count > index)
            {
                var top = stack.Count - 1;
                var open = stack[top];
                stack.RemoveAt(top);
                var list = byName[open.Name];
                list.RemoveAt(list.Count - 1);
                foreach (var b in bounds)
                {
                    if (b.Count > 0 && b[^1] == top)
                    {
                        b.RemoveAt(b.Count - 1);
                    }
                }
                if (open.Afe is { } entry)
                {
                    entry.OnStack = false;
                }
                if ((open.Kind & Kind.Marker) != 0 && (open.Kind & Kind.Foreign) == 0)
                {
                    // Leaving a cell, caption or object clears the formatting elements opened inside it.
                    var marker = afe.FindLastIndex(e => e.IsMarker);
                    for (var j = afe.Count - 1; j > marker && marker >= 0; j--)
                    {
                        afeNames[afe[j].Name]--;
                    }
                    if (marker >= 0)
                    {
                        afe.RemoveRange(marker, afe.Count - marker);
                    }
                }
            }
        }

        /// <summary>Re-opens the formatting elements that a closed block left behind, as text and most start tags make the tree builder do.</summary>
        private void Reconstruct()
        {
            if (afe.Count == 0 || afe[^1].IsMarker || afe[^1].OnStack)
            {
                return;
            }
            var first = afe.Count - 1;
            while (first > 0 && !afe[first - 1].IsMarker && !afe[first - 1].OnStack)
            {
                first--;
            }
            for (var j = first; j < afe.Count && !over; j++)
            {
                Push(afe[j].Name, Kind.Formatting | Kinds.GetValueOrDefault(afe[j].Name), afe[j]);
            }
        }

        private int RawTextEnd(int from, ReadOnlySpan<char> name)
        {
            for (var j = s.IndexOf("</", from, StringComparison.Ordinal); j >= 0; j = s.IndexOf("</", j + 2, StringComparison.Ordinal))
            {
                if (EndTagNamed(j, name))
                {
                    return j;
                }
            }
            return s.Length;
        }

        private bool EndTagNamed(int lt, ReadOnlySpan<char> name)
        {
            var after = lt + 2 + name.Length;
            return after < s.Length && s.AsSpan(lt + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (IsSpace(s[after]) || s[after] is '/' or '>');
        }

        private bool StartTagNamed(int lt, string name)
        {
            var after = lt + 1 + name.Length;
            return after < s.Length && s.AsSpan(lt + 1, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (IsSpace(s[after]) || s[after] is '/' or '>');
        }

        /// <summary>Script data with its escaped and double-escaped states ("&lt;!--" and a nested "&lt;script&gt;" hide "&lt;/script&gt;").</summary>
        private int ScriptEnd(int from)
        {
            const int data = 0, escaped = 1, doubleEscaped = 2;
            var state = data;
            for (var j = from; j < s.Length; j++)
            {
                var c = s[j];
                if (c == '-' && state != data && j + 2 < s.Length && s[j + 1] == '-' && s[j + 2] == '>')
                {
                    state = data;
                    j += 2;
                    continue;
                }
                if (c != '<')
                {
                    continue;
                }
                switch (state)
                {
                    case data when string.CompareOrdinal(s, j + 1, "!--", 0, 3) == 0:
                        state = escaped;
                        // The dashes of "<!--" count towards a closing "-->": "<!-->" is closed at once.
                        j += 1;
                        break;
                    case data or escaped when EndTagNamed(j, "script"):
                        return j;
                    case escaped when StartTagNamed(j, "script"):
                        state = doubleEscaped;
                        break;
                    case doubleEscaped when EndTagNamed(j, "script"):
                        state = escaped;
                        break;
                }
            }
            return s.Length;
        }
    }
}
