using System.Net;

namespace NewsArchive.Web.Model;

/// <summary>
/// The registrable domain of a host (the name an organisation registers: cn.reuters.com →
/// reuters.com, news.bbc.co.uk → bbc.co.uk), for the public suffixes news sites use: every gTLD,
/// the generic second levels under country codes (com.cn, com.hk, org.tw, co.uk, com.au, co.jp,
/// or.jp, co.kr, net.au, …) and a few hosting suffixes whose subdomains are separate sites
/// (wqw2010.blogspot.com). Not the whole Public Suffix List: a rarer suffix makes the domain one
/// label too short, which only merges two unknown outlets under one name (docs/outlets.md).
/// </summary>
public static class RegistrableDomain
{
    // Second-level labels that ccTLD registries hand out as suffixes (com.tw, idv.tw, ne.jp, go.kr, …).
    private static readonly HashSet<string> GenericSecondLevels =
    [
        "com", "net", "org", "edu", "gov", "mil", "co", "ac", "or", "ne", "go", "gen", "idv", "ltd", "plc", "info", "biz", "nom", "sch", "int",
    ];

    // Suffixes under which each subdomain is another site (from the private part of the Public Suffix List).
    private static readonly HashSet<string> HostingSuffixes =
    [
        "blogspot.com", "github.io", "wordpress.com", "substack.com", "medium.com", "tumblr.com", "appspot.com", "herokuapp.com",
        "netlify.app", "pages.dev", "vercel.app", "mystrikingly.com", "wixsite.com", "weebly.com", "livejournal.com", "pixnet.net",
    ];

    /// <summary>The registrable domain of a host, lower case; an IP address or a one-label host as it is.</summary>
    public static string Of(string host)
    {
        host = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (host.Length == 0 || IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return host;
        }
        var labels = host.Split('.');
        if (labels.Length <= 2)
        {
            return host;
        }
        var lastTwo = labels[^2] + "." + labels[^1];
        var suffixLabels = HostingSuffixes.Contains(lastTwo) || (labels[^1].Length == 2 && GenericSecondLevels.Contains(labels[^2])) ? 2 : 1;
        return string.Join('.', labels[^(suffixLabels + 1)..]);
    }
}
