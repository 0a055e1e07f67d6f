using System.Text.RegularExpressions;

namespace NewsArchive.Tests.Architecture;

/// <summary>
/// Imports run one way: Text → Model → Reader → Storage → Search → Media → Ingest → Site → Commands → the web (Site, then Api
/// and Pages, which share helpers through Site and never import each other). Files at the project
/// root (Program.cs: the composition) may import every layer.
/// </summary>
public sealed partial class LayerTests
{
    private static readonly string[] Order = ["Text", "Model", "Reader", "Storage", "Search", "Media", "Ingest", "Site", "Commands", "Api", "Pages"];

    /// <summary>Layers of the same rank, which may not import each other either.</summary>
    private static readonly HashSet<string> Peers = ["Api", "Pages"];

    // A using directive (plain, static, global or alias) or a fully qualified name: both are imports.
    [GeneratedRegex(@"\bNewsArchive\.Web\.(?<layer>[A-Za-z_][A-Za-z0-9_]*)\b")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[ \t]*namespace[ \t]+[\w.]+[ \t]*[;{]", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    private static readonly string OrderText = string.Join(" → ", Order[..^2]) + " → Api | Pages";

    private static int Rank(string layer) => layer is "Pages" ? Array.IndexOf(Order, "Api") : Array.IndexOf(Order, layer);

    /// <summary>Every import of <paramref name="source"/> (a file of <paramref name="layer"/>) against the order, as messages.</summary>
    internal static List<string> Violations(string layer, string file, string source)
    {
        var violations = new List<string>();
        var code = NamespaceLine().Replace(source, "");
        foreach (var line in code.Split('\n').Select((text, i) => (Text: text, Number: i + 1)))
        {
            foreach (Match m in Reference().Matches(line.Text))
            {
                var target = m.Groups["layer"].Value;
                if (target == layer || Rank(target) < 0)
                {
                    continue;
                }
                var against = Rank(target) > Rank(layer) || (Peers.Contains(layer) && Peers.Contains(target));
                if (against && !violations.Any(v => v.Contains($"imports {target} ", StringComparison.Ordinal)))
                {
                    violations.Add($"{file}:{line.Number}: {layer} imports {target} (\"{line.Text.Trim()}\"), against the order {OrderText}");
                }
            }
        }
        return violations;
    }

    private static string ProjectDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "src", "NewsArchive.Web");
            if (Directory.Exists(project))
            {
                return project;
            }
        }
        throw new DirectoryNotFoundException("src/NewsArchive.Web not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<(string Layer, string File)> SourceFiles()
    {
        var project = ProjectDir();
        foreach (var path in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(project, path).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal) || !relative.Contains('/'))
            {
                continue;
            }
            yield return (relative[..relative.IndexOf('/')], relative);
        }
    }

    [Fact]
    public void Every_import_follows_the_layer_order()
    {
        var project = ProjectDir();
        var violations = SourceFiles()
            .SelectMany(f => Violations(f.Layer, f.File, File.ReadAllText(Path.Combine(project, f.File))))
            .ToList();
        Assert.True(violations.Count == 0, "Imports against the layer order:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Every_folder_with_code_is_a_layer()
    {
        var unknown = SourceFiles().Select(f => f.Layer).Distinct().Where(l => Rank(l) < 0).ToList();
        Assert.True(unknown.Count == 0, $"Folders with code outside the layer order (add them to LayerTests.Order): {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_checker_finds_imports_against_the_order()
    {
        const string storage = """
            using Microsoft.Data.Sqlite;
            using NewsArchive.Web.Model;
            using NewsArchive.Web.Search;

            namespace NewsArchive.Web.Storage;

            public static class Bad
            {
                public static object Of() => NewsArchive.Web.Ingest.Ingester.EnumerateFiles(".");
            }
            """;
        var found = Violations("Storage", "Storage/Bad.cs", storage);
        Assert.Equal(2, found.Count);
        Assert.StartsWith("Storage/Bad.cs:3: Storage imports Search (\"using NewsArchive.Web.Search;\")", found[0]);
        Assert.StartsWith("Storage/Bad.cs:9: Storage imports Ingest", found[1]);

        Assert.Single(Violations("Pages", "Pages/Search.cshtml.cs", "using NewsArchive.Web.Api;\nnamespace NewsArchive.Web.Pages;"));
        Assert.Single(Violations("Api", "Api/SearchApi.cs", "using static NewsArchive.Web.Pages.SearchModel;"));
        Assert.Single(Violations("Site", "Site/Limits.cs", "using NewsArchive.Web.Api;"));
    }

    [Fact]
    public void The_checker_allows_imports_along_the_order()
    {
        const string search = """
            using NewsArchive.Web.Model;
            using NewsArchive.Web.Storage;
            using NewsArchive.Web.Text;

            namespace NewsArchive.Web.Search;
            """;
        Assert.Empty(Violations("Search", "Search/Good.cs", search));
        Assert.Empty(Violations("Pages", "Pages/Index.cshtml.cs", "using NewsArchive.Web.Site;\nusing NewsArchive.Web.Ingest;"));
        Assert.Empty(Violations("Api", "Api/X.cs", "namespace NewsArchive.Web.Api;\nusing NewsArchive.Web;"));
    }
}
