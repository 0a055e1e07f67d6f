using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Site;

/// <summary>How the configured paths become absolute: the same for the site and every command.</summary>
public static class ArchivePaths
{
    /// <summary>The <c>Archive</c> settings with their paths resolved against the content root.</summary>
    public static ArchiveOptions Read(IConfiguration config, IHostEnvironment env)
    {
        var options = config.GetSection("Archive").Get<ArchiveOptions>() ?? new ArchiveOptions();
        Resolve(options, env.ContentRootPath);
        return options;
    }

    public static void Resolve(ArchiveOptions o, string contentRoot)
    {
        // The sample joins the archive it was made for: an archive served from another database
        // (one made with `ingest --db`) never gets two stray articles.
        if (string.IsNullOrEmpty(o.SeedsPath))
        {
            o.SeedsPath = o.Database == ArchiveOptions.DefaultDatabase ? ArchiveOptions.SampleSeeds : "";
        }
        o.Database = Path.GetFullPath(o.Database, contentRoot);
        o.SeedsPath = o.SeedsPath.Length == 0 ? "" : FindSeeds(o.SeedsPath, contentRoot);
        o.OutletsFile = string.IsNullOrWhiteSpace(o.OutletsFile) ? null : Path.GetFullPath(o.OutletsFile, contentRoot);
    }

    /// <summary>
    /// A relative path is looked up from the content root upwards, so <c>seeds/</c> at the top of
    /// the clone is found whether the app runs from there or from its project folder.
    /// </summary>
    public static string FindSeeds(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, configured);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return Path.GetFullPath(configured, contentRoot);
    }
}
