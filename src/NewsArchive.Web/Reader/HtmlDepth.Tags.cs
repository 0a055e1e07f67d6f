namespace NewsArchive.Web.Reader;

/// <summary>Start and end tags: what each one opens, closes or ignores (HtmlDepth.cs).</summary>
public static partial class HtmlDepth
{
    private sealed partial class Scanner
    {
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
    }
}
