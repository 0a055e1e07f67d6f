using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;
using Xunit.Abstractions;

namespace NewsArchive.Tests.Identity;

/// <summary>One article, one entry (issue #17), over generated variant corpora, through a real ingest and real HTTP.</summary>
public sealed class IdentityTests(ITestOutputHelper output)
{
    /// <summary>Distinct articles: URLs with escapes, queries and www., Chinese and English text.</summary>
    internal static List<string> Originals(string dir, int count)
    {
        string[] urls = ["https://www.example.com/news/{0}/%E4%B8%AD%E5%9B%BD-{0}", "https://example.com/story.php?id={0}&lang=zh", "http://news.example.org/{0}/"];
        return Enumerable.Range(0, count).Select(i => SeedWriter.Write(dir, $"{i}.md", $"第{i}篇 Story number {i}",
            string.Format(System.Globalization.CultureInfo.InvariantCulture, urls[i % urls.Length], i),
            $"<p>这是第{i}篇文章的正文，关于话题{i * 7}。</p><p>Body of story {i}, about topic {i * 7}.</p>",
            DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + (i * 3600)))).ToList();
    }

    [Fact]
    public async Task Every_variant_is_one_entry_found_by_any_of_its_urls()
    {
        using var dir = new TempFolder("identity");
        var corpus = VariantCorpus.Write(Originals(dir.Folder("src"), 40), dir.Folder("seeds"));
        using var app = new AppFactory(dir.File("seeds"));
        await app.WaitForIngestAsync();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var total = (await client.GetFromJsonAsync<JsonElement>("/api/articles?size=1")).GetProperty("total").GetInt64();
        Assert.Equal(40 + corpus.Untitled.Count, total);
        foreach (var a in corpus.Articles)
        {
            var id = await LookupAsync(client, a.Url);
            foreach (var url in a.Variants.Prepend(a.Url))
            {
                Assert.Equal(id, await LookupAsync(client, url));
                using var page = await client.GetAsync($"/a/{Permalink.For(url)}");
                if (page.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Equal(Permalink.For(url), id);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.MovedPermanently, page.StatusCode);
                    Assert.Equal($"/a/{id}", page.Headers.Location?.OriginalString);
                }
                using var search = await client.GetAsync($"/search?q={Uri.EscapeDataString(url)}");
                Assert.Equal(HttpStatusCode.Redirect, search.StatusCode);
                Assert.Equal($"/a/{id}", search.Headers.Location?.OriginalString);
            }
            var json = await client.GetFromJsonAsync<JsonElement>($"/api/articles/{id}");
            Assert.Equal(3, json.GetProperty("alsoArchivedAt").GetArrayLength());
            var html = await client.GetStringAsync($"/a/{id}");
            Assert.Contains("class=\"also-archived\"", html);
            // The canonical URL is linked as the original, the other three as "also archived at".
            Assert.Equal(4, a.Variants.Prepend(a.Url).Count(u => html.Contains($"href=\"{HtmlEncoder.Default.Encode(u)}\"", StringComparison.Ordinal)));
        }
        foreach (var (url, word) in corpus.Untitled)
        {
            var json = await client.GetFromJsonAsync<JsonElement>($"/api/articles/{await LookupAsync(client, url)}");
            Assert.True(json.GetProperty("titleDerived").GetBoolean());
            Assert.StartsWith(word + " 无题的文章", json.GetProperty("title").GetString());
            var found = await client.GetFromJsonAsync<JsonElement>($"/api/search?q={word}");
            Assert.Equal(1, found.GetProperty("total").GetInt64());
        }
        using (var missing = await client.GetAsync("/api/articles/lookup?url=" + Uri.EscapeDataString("https://example.com/never-archived")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        using var c = TestBackend.At(app.DatabasePath).OpenUnpooled();
        var rejected = c.Query<string>("SELECT reason FROM source_files WHERE status = 'rejected' ORDER BY reason").ToList();
        Assert.Equal(["no article: empty title and a body of pictures only", "no article: empty title and empty body"], rejected);
        Report("variant corpus", corpus.Files, c);
    }

    [Fact]
    public async Task Rows_stored_before_identity_are_merged_by_the_next_ingest()
    {
        using var t = new TempDatabase("merge");
        Originals(t.Seeds, 20);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        using (var c = t.Db.OpenUnpooled())
        {
            // What an archive from before migration 0005 holds: each article again under a variant URL, no aliases, no hashes.
            c.Execute("""
                INSERT INTO articles (id, permalink, url, title, published, sort_key, source, language, tags, excerpt, lead_image,
                                      text, html, source_path, ingested_at, updated_at)
                SELECT id + 1000, substr(permalink, 2) || 'x', url || '#old', title, published,
                       sort_key + 1, source, language, tags, excerpt, lead_image, text, html, source_path || '.old', ingested_at, updated_at
                FROM articles;
                UPDATE articles SET content_hash = NULL;
                DELETE FROM article_aliases;
                """);
            Assert.Equal(40, c.ExecuteScalar<long>("SELECT count(*) FROM articles"));
        }
        var second = await new Ingester(t.Db).RunAsync([t.Seeds]);
        Assert.Equal(0, second.New);
        using var after = t.Db.OpenUnpooled();
        Assert.Equal(20, after.ExecuteScalar<long>("SELECT count(*) FROM articles"));
        Assert.Equal(40, after.ExecuteScalar<long>("SELECT count(DISTINCT url) FROM article_aliases"));
        Assert.Equal(0, after.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE content_hash IS NULL"));
        // The shorter URL is canonical, whichever row came first.
        Assert.Equal(0, after.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE url LIKE '%#old'"));
    }

    /// <summary>The dev corpus and its variants: figures for the report, and each variant one entry.</summary>
    [CorpusFact]
    public async Task Dev_corpus_and_its_variants()
    {
        using var dir = new TempFolder("identity-dev");
        var plain = TestBackend.At(dir.File("plain.db"));
        plain.Migrate();
        await new Ingester(plain).RunAsync([TestData.DevCorpus]);
        using (var c = plain.OpenUnpooled())
        {
            Report("dev corpus", Directory.EnumerateFiles(TestData.DevCorpus, "*", SearchOption.AllDirectories).Count(), c);
            // Each revision merged on dev, to look at (docs/identity.md).
            foreach (var (earlier, shown, same) in c.Query<(string, string, bool)>(
                "SELECT r.url, a.url, r.title = a.title FROM article_revisions r JOIN articles a ON a.id = r.article_id ORDER BY a.url"))
            {
                output.WriteLine($"revision: {earlier} -> {shown}{(same ? "" : " (title changed)")}");
            }
        }

        var sample = Directory.EnumerateFiles(TestData.DevCorpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(400).ToList();
        var alone = TestBackend.At(dir.File("alone.db"));
        alone.Migrate();
        await new Ingester(alone).RunAsync(sample);
        var variants = TestBackend.At(dir.File("variants.db"));
        variants.Migrate();
        var corpus = VariantCorpus.Write(sample, dir.Folder("seeds"));
        await new Ingester(variants).RunAsync([dir.File("seeds")]);
        using var a = alone.OpenUnpooled();
        using var v = variants.OpenUnpooled();
        Assert.Equal(a.ExecuteScalar<long>("SELECT count(*) FROM articles") + corpus.Untitled.Count, v.ExecuteScalar<long>("SELECT count(*) FROM articles"));
        foreach (var article in corpus.Articles)
        {
            var ids = article.Variants.Prepend(article.Url).Select(u => ArticleAliasStore.PermalinkByKey(v, UrlIdentity.Key(u))).Distinct().ToList();
            Assert.Single(ids);
            Assert.NotNull(ids[0]);
        }
        Report("dev variant corpus (first 400 files)", corpus.Files, v);
    }

    private static async Task<string> LookupAsync(HttpClient client, string url)
    {
        var json = await client.GetFromJsonAsync<JsonElement>("/api/articles/lookup?url=" + Uri.EscapeDataString(url));
        return json.GetProperty("id").GetString()!;
    }

    private void Report(string name, int files, System.Data.Common.DbConnection c) =>
        output.WriteLine($"{name}: files {files}, articles {c.ExecuteScalar<long>("SELECT count(*) FROM articles")}, " +
            $"aliases {c.ExecuteScalar<long>("SELECT count(DISTINCT x.url) FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.url <> a.url")}, " +
            $"revisions {c.ExecuteScalar<long>("SELECT count(*) FROM article_revisions")}, " +
            $"derived titles {c.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE title_derived")}, " +
            $"rejected {c.ExecuteScalar<long>("SELECT count(*) FROM source_files WHERE status = 'rejected'")}");
}
