using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Ingest;
using NewsArchive.Web.Model;

namespace NewsArchive.Tests.Stories;

/// <summary>Story threads formed at ingest (docs/stories.md), on both backends.</summary>
public sealed class StoryThreadTests
{
    private static readonly DateTimeOffset Summit = new(2025, 7, 14, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// One summit told by three outlets, in Simplified and Traditional, under three headlines and
    /// with the names spelt as each region spells them; the same headline a year later; and other
    /// news of the same days.
    /// </summary>
    internal static void WritePlanted(string seeds)
    {
        SeedWriter.Write(seeds, "rfi.txt", "特朗普与普京在赫尔辛基会晤 讨论乌克兰停火",
            "https://www.rfi.fr/cn/国际/20250714-特朗普普京赫尔辛基",
            "<p>美国总统特朗普周一在芬兰首都赫尔辛基与俄罗斯总统普京举行会晤，双方讨论了乌克兰停火问题以及泽连斯基提出的和平方案。</p>", Summit);
        SeedWriter.Write(seeds, "cna.txt", "川普普丁赫爾辛基峰會 聚焦烏克蘭停火",
            "https://www.cna.com.tw/news/aopl/202507140001.aspx",
            "<p>（中央社赫爾辛基14日綜合外電報導）美國總統川普今天在芬蘭首都赫爾辛基與俄羅斯總統普丁舉行峰會，雙方聚焦烏克蘭停火議題與澤倫斯基的和平方案。</p>", Summit.AddHours(3));
        SeedWriter.Write(seeds, "zaobao.txt", "美俄峰会登场 特朗普普京赫尔辛基谈停火",
            "https://www.zaobao.com.sg/news/world/story20250715-0001",
            "<p>美国总统特朗普与俄罗斯总统普京在赫尔辛基举行峰会，就乌克兰停火与泽连斯基的方案交换意见。</p>", Summit.AddDays(1));
        SeedWriter.Write(seeds, "rfi-next-year.txt", "特朗普与普京在赫尔辛基会晤 讨论乌克兰停火",
            "https://www.rfi.fr/cn/国际/20260714-特朗普普京赫尔辛基",
            "<p>美国总统特朗普周二在芬兰首都赫尔辛基与俄罗斯总统普京再次会晤，讨论乌克兰停火问题。</p>", Summit.AddYears(1));
        var others = new[]
        {
            ("台风韦帕登陆菲律宾北部 数万人撤离", "<p>强台风韦帕周一登陆菲律宾吕宋岛北部，当局撤离数万居民，多地停课停工。</p>"),
            ("日本央行维持利率不变 日元走弱", "<p>日本银行周二结束货币政策会议，决定维持短期利率不变，日元兑美元汇率随即走弱。</p>"),
            ("歐盟通過新氣候法案 2040年減排九成", "<p>歐洲議會週三通過新的氣候法案，要求成員國在2040年前將溫室氣體排放減少九成。</p>"),
            ("香港书展开幕 入场人数较去年减少", "<p>一年一度的香港书展周三在湾仔会展中心开幕，主办方表示首日入场人数较去年减少。</p>"),
            ("德國聯邦議院辯論國防預算", "<p>德國聯邦議院週四辯論明年國防預算，執政聯盟各黨對軍費增幅意見不一。</p>"),
        };
        for (var i = 0; i < others.Length; i++)
        {
            SeedWriter.Write(seeds, $"other-{i}.txt", others[i].Item1, $"https://www.zaobao.com.sg/news/world/story2025071{i}-100{i}",
                others[i].Item2, Summit.AddDays(i - 2));
        }
    }

    /// <summary>Each article's URL and the URLs of its thread (itself included), threads of one left out.</summary>
    private static Dictionary<string, string[]> Threads(Web.Storage.Database db)
    {
        using var c = db.Open();
        var rows = c.Query<(long Id, string Url, long StoryId)>("SELECT id, url, story_id FROM articles").ToList();
        return rows.GroupBy(r => r.StoryId).Where(g => g.Count() > 1)
            .SelectMany(g => g.Select(r => (r.Url, Members: g.Select(m => m.Url).Order(StringComparer.Ordinal).ToArray())))
            .ToDictionary(p => p.Url, p => p.Members);
    }

    [Fact]
    public async Task A_planted_event_in_both_scripts_is_one_thread_and_its_namesake_a_year_later_is_not()
    {
        using var t = new TempDatabase("stories");
        WritePlanted(t.Seeds);
        await new Ingester(t.Db).RunAsync([t.Seeds]);

        var threads = Threads(t.Db);
        var summit = threads.Keys.Where(u => u.Contains("2025071", StringComparison.Ordinal) && !u.Contains("-100", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, summit.Length);
        Assert.Equal(summit, threads[summit[0]]);
        // The year-later namesake and the other news of those days are alone.
        Assert.Equal(3, threads.Count);

        using var c = t.Db.Open();
        // A thread's id is its first article's: an article that is alone is its own thread.
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE story_id IS NULL OR story_id > id"));
    }

    [Fact]
    public async Task An_article_ingested_later_joins_the_thread_it_belongs_to()
    {
        using var t = new TempDatabase("stories-later");
        WritePlanted(t.Seeds);
        var zaobao = Path.Combine(t.Seeds, "zaobao.txt");
        var held = File.ReadAllText(zaobao);
        File.Delete(zaobao);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        Assert.Single(Threads(t.Db).Values.DistinctBy(m => m[0]));

        File.WriteAllText(zaobao, held);
        await new Ingester(t.Db).RunAsync([t.Seeds]);
        Assert.Equal(3, Threads(t.Db)["https://www.zaobao.com.sg/news/world/story20250715-0001"].Length);
    }

    [CorpusFact]
    public async Task Two_ingest_orders_of_nine_days_of_the_dev_corpus_give_the_same_threads()
    {
        // The files of the first nine days of October 2020 (their names start with the day).
        var files = Directory.EnumerateFiles(TestData.DevCorpus, "2020-10-0*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 300, $"{files.Count} files");
        var (even, odd) = (files.Where((_, i) => i % 2 == 0).ToList(), files.Where((_, i) => i % 2 == 1).ToList());

        async Task<Dictionary<string, string[]>> Ingested(string name, params List<string>[] parts)
        {
            using var t = new TempDatabase(name);
            foreach (var part in parts)
            {
                var dir = Directory.CreateDirectory(Path.Combine(t.Seeds, $"part{Array.IndexOf(parts, part)}")).FullName;
                foreach (var f in part)
                {
                    File.Copy(f, Path.Combine(dir, Path.GetFileName(Path.GetDirectoryName(f)) + "-" + Path.GetFileName(f)));
                }
                await new Ingester(t.Db).RunAsync([t.Seeds]);
            }
            return Threads(t.Db);
        }

        var one = await Ingested("order-a", even, odd);
        var other = await Ingested("order-b", odd, even);
        Assert.True(one.Count > 20, $"{one.Count} articles in threads");
        Assert.Equal(one.Keys.Order(StringComparer.Ordinal), other.Keys.Order(StringComparer.Ordinal));
        foreach (var (url, members) in one)
        {
            Assert.Equal(members, other[url]);
        }
    }
}
