namespace NewsArchive.Tests.Hardening;

/// <summary>
/// Writes a corpus of hostile seed files: XSS filter-evasion vectors (after the OWASP cheat sheet)
/// placed in the body, the title, the front matter (author, tags) and the URL. Every payload, if it
/// ever ran, would call alert('canary') or request /canary, which the browser test watches for.
/// </summary>
public static class HostileCorpus
{
    public const string Js = "alert('canary');fetch('/canary')";

    /// <summary>The vectors; each is placed in every position.</summary>
    public static readonly string[] Vectors =
    [
        $"<script>{Js}</script>",
        $"<SCRIPT SRC=/canary.js></SCRIPT>",
        $"<img src=x onerror=\"{Js}\">",
        $"<IMG SRC=\"javascript:{Js}\">",
        $"<img src=\"jav&#x09;ascript:{Js}\">",
        $"<img src=x oNeRrOr={Js}//",
        $"<svg onload=\"{Js}\"></svg>",
        $"<svg><script>{Js}</script></svg>",
        $"<iframe srcdoc=\"<script>parent.{Js}</script>\"></iframe>",
        $"<iframe src=\"javascript:{Js}\"></iframe>",
        $"<a href=\"javascript:{Js}\">click</a>",
        $"<a href=\"JaVaScRiPt:{Js}\">click</a>",
        $"<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('canary')\">click</a>",
        $"<a href=\"&#x6A;avascript&#x3A;alert('canary')\">click</a>",
        "<a href=\"vbscript:msgbox('canary')\">click</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgnY2FuYXJ5Jyk8L3NjcmlwdD4=\">click</a>",
        $"<math><mtext><table><mglyph><style><img src=x onerror=\"{Js}\">",
        $"<template><img src=x onerror=\"{Js}\"></template>",
        $"<noscript><p title=\"</noscript><img src=x onerror={Js}>\"></noscript>",
        $"<div style=\"background:url(javascript:{Js})\">css</div>",
        $"<div style=\"width: expression({Js})\">css</div>",
        $"<style>@import 'javascript:{Js}';</style>",
        $"<base href=\"javascript:{Js}//\">",
        $"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{Js}\">",
        $"<form action=\"javascript:{Js}\"><button>go</button></form>",
        $"<button formaction=\"javascript:{Js}\">go</button>",
        $"<body onload=\"{Js}\">",
        $"<details open ontoggle=\"{Js}\">x</details>",
        $"<video><source onerror=\"{Js}\"></video>",
        $"<object data=\"javascript:{Js}\"></object>",
        $"<embed src=\"javascript:{Js}\">",
        $"<scr<script>ipt>{Js}</scr</script>ipt>",
        $"\"><script>{Js}</script>",
        $"'><img src=x onerror={Js}>",
        $"</title><script>{Js}</script>",
        $"<input autofocus onfocus=\"{Js}\">",
        $"<marquee onstart=\"{Js}\">x</marquee>",
        $"<a href=\"#\" onclick=\"{Js}\" id=\"clickme\">click</a>",
        $"<div onmouseover=\"{Js}\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\">x</div>",
        $"<link rel=stylesheet href=\"javascript:{Js}\">",
        $"<table background=\"javascript:{Js}\"><tr><td>x</td></tr></table>",
        $"<p>unclosed <b>nested <i>tags <div>mis</b>nested</i> {Js}",
        $"<svg><a xlink:href=\"javascript:{Js}\"><text x=20 y=20>svg link</text></a></svg>",
        $"<script xmlns=\"http://www.w3.org/1999/xhtml\">{Js}</script>",
    ];

    /// <summary>Writes the files; returns how many (vectors × positions).</summary>
    public static int Write(string dir)
    {
        var n = 0;
        for (var i = 0; i < Vectors.Length; i++)
        {
            var v = Vectors[i];
            var url = $"https://hostile.example.com/{i}";
            var title = $"hostile {i} {v.Replace('\n', ' ')}";
            // In the body, with the vector's text searchable as "canary".
            File.WriteAllText(Path.Combine(dir, $"body-{i:D2}.md"),
                $"<!--1700000000000-->\n[hostile body {i}](https://hostile.example.com/body/{i})\n------\n<p>canary body {i}</p>{v}<p>after</p>\n");
            // In the title line (as Markdown text) and front matter author and tags.
            File.WriteAllText(Path.Combine(dir, $"title-{i:D2}.md"),
                $"---\nauthor: \"{Yaml(v)}\"\ntags: [\"{Yaml(v)}\", canary]\n---\n<!--1700000000000-->\n[{title.Replace("]", "\\]")}]({url}/title)\n------\n<p>canary title {i}</p>\n");
            // In the URL itself (most are not http(s) URLs and must be rejected; the rest are escaped).
            File.WriteAllText(Path.Combine(dir, $"url-{i:D2}.md"),
                $"<!--1700000000000-->\n[hostile url {i}](https://hostile.example.com/u?x={Uri.EscapeDataString(v)})\n------\n<p>canary url {i}</p>\n");
            n += 3;
        }
        File.WriteAllText(Path.Combine(dir, "url-javascript.md"), $"<!--1700000000000-->\n[js url](javascript:{Js})\n------\n<p>canary</p>\n");
        File.WriteAllText(Path.Combine(dir, "frontmatter-only.md"), $"---\ntitle: \"{Yaml(Vectors[0])}\"\nfrom: https://hostile.example.com/fm\nauthor: \"{Yaml(Vectors[2])}\"\n---\n{Vectors[3]}<p>canary fm</p>\n");
        return n + 2;
    }

    private static string Yaml(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
