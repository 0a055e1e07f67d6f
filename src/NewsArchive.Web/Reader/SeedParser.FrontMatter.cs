using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NewsArchive.Web.Reader;

public static partial class SeedParser
{
    /// <summary>
    /// The YAML front matter fields the archive uses, read from YamlDotNet's parser events in a loop
    /// (no representation model: it recurses, and follows aliases). Aliases, anchors, complex keys,
    /// deep nesting and oversized front matter make it unreadable: it counts as absent, with a note.
    /// </summary>
    private sealed record FrontMatter(string? Title, string? From, DateTimeOffset? Date, string? Author, IReadOnlyList<string> Tags)
    {
        public static readonly FrontMatter Empty = new(null, null, null, null, []);

        public const int MaxChars = 64 * 1024;
        public const int MaxDepth = 8;
        public const int MaxEvents = 10_000;

        private static readonly string[] Fields = ["title", "from", "date", "author", "tags", "categories"];

        public bool IsEmpty => this == Empty;

        public static (FrontMatter Front, string? Ignored) Read(ReadOnlyMemory<char> yaml, DateTimeOffset now, ParseBudget? budget)
        {
            if (yaml.Length > MaxChars)
            {
                return (Empty, $"front matter ignored: larger than {MaxChars / 1024} KiB");
            }
            var values = new Dictionary<string, List<string>?>();
            try
            {
                if (ReadEvents(yaml.ToString(), values, budget) is { } why)
                {
                    return (Empty, "front matter ignored: " + why);
                }
            }
            catch (YamlException e)
            {
                return (Empty, $"front matter ignored: not valid YAML ({e.Start.Line}:{e.Start.Column}: {e.Message})");
            }
            string? Scalar(string key) =>
                !IsSequence(key, values) && values.GetValueOrDefault(key) is [var v] && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
            var tags = new List<string>();
            foreach (var key in new[] { "tags", "categories" })
            {
                IEnumerable<string> items = values.GetValueOrDefault(key) is not { } list ? []
                    : IsSequence(key, values) ? list : list[0].Split(',', ' ');
                foreach (var item in items)
                {
                    var tag = item.Trim();
                    if (tag.Length > 0 && !tags.Contains(tag))
                    {
                        tags.Add(tag);
                    }
                }
            }
            DateTimeOffset? date = DateTimeOffset.TryParse(Scalar("date"), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var d) ? Plausible(d, now) : null;
            return (new FrontMatter(Scalar("title"), Scalar("from"), date, Scalar("author"), tags), null);
        }

        // A sequence is stored with a null marker entry first, so that a one-item sequence is not split like a scalar.
        private static bool IsSequence(string key, Dictionary<string, List<string>?> values) => values.ContainsKey(key + "[]");

        /// <summary>
        /// Collects the top-level scalar values of <see cref="Fields"/> (and the scalar items of a
        /// sequence under them); returns why the front matter is refused, or null.
        /// </summary>
        private static string? ReadEvents(string yaml, Dictionary<string, List<string>?> values, ParseBudget? budget)
        {
            var parser = new Parser(new StringReader(yaml));
            var depth = 0;
            var events = 0;
            var documents = 0;
            var rootIsMapping = false;
            // At depth 1 (the root mapping): whether the next node is a key, and the field it is the value of.
            var expectKey = true;
            string? field = null;
            var seenKeys = new HashSet<string>();
            while (parser.MoveNext())
            {
                if (++events > MaxEvents)
                {
                    return $"more than {MaxEvents} YAML events";
                }
                if ((events & 255) == 0)
                {
                    budget?.Check();
                }
                var e = parser.Current!;
                if (e is AnchorAlias)
                {
                    return "YAML aliases are not accepted";
                }
                if (e is NodeEvent { Anchor.IsEmpty: false })
                {
                    return "YAML anchors are not accepted";
                }
                if (e is DocumentStart)
                {
                    documents++;
                    continue;
                }
                // Only the first document counts, as it did for the representation model.
                var atRoot = depth == 1 && rootIsMapping && documents == 1;
                switch (e)
                {
                    case MappingStart or SequenceStart:
                        if (atRoot && expectKey)
                        {
                            return "only plain scalar mapping keys are accepted";
                        }
                        if (++depth > MaxDepth)
                        {
                            return $"nested deeper than {MaxDepth} levels";
                        }
                        if (depth == 1 && documents == 1)
                        {
                            rootIsMapping = e is MappingStart;
                        }
                        else if (depth == 2 && atRoot && field is not null && e is SequenceStart)
                        {
                            values[field] = [];
                            values[field + "[]"] = null;
                        }
                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        if (depth == 1 && rootIsMapping && documents == 1)
                        {
                            expectKey = true;
                            field = null;
                        }
                        break;
                    case Scalar scalar when atRoot:
                        if (expectKey)
                        {
                            if (!seenKeys.Add(scalar.Value))
                            {
                                return $"duplicate key '{Truncate(scalar.Value, 40)}'";
                            }
                            field = Fields.Contains(scalar.Value) ? scalar.Value : null;
                        }
                        else if (field is not null)
                        {
                            values[field] = [scalar.Value];
                            field = null;
                        }
                        expectKey = !expectKey;
                        break;
                    case Scalar item when depth == 2 && rootIsMapping && documents == 1 && field is not null && values.GetValueOrDefault(field) is { } list:
                        list.Add(item.Value);
                        break;
                }
            }
            if (!rootIsMapping)
            {
                values.Clear();
            }
            return null;
        }
    }
}
