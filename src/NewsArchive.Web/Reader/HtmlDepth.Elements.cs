namespace NewsArchive.Web.Reader;

/// <summary>The stack of open elements, scopes, active formatting elements and raw text (HtmlDepth.cs).</summary>
public static partial class HtmlDepth
{
    private sealed partial class Scanner
    {
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
