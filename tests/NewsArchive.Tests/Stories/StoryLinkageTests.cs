using NewsArchive.Web.Reader;

namespace NewsArchive.Tests.Stories;

/// <summary>How links become threads (Reader/StoryThreads.Threads, average linkage at 0.25), on links written by hand.</summary>
public sealed class StoryLinkageTests
{
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private static StoryThreads.Link Link(long a, long b, double similarity) => new(a, b, similarity, false, 0);

    [Fact]
    public void A_running_topic_alike_only_from_each_article_to_the_next_does_not_chain_into_one_thread()
    {
        // Five days of one running topic: each day's article is alike to the day before's (0.4), not to the others.
        var published = Enumerable.Range(1, 5).ToDictionary(i => (long)i, i => i * Day);
        var threads = StoryThreads.Threads(published, [Link(1, 2, 0.4), Link(2, 3, 0.4), Link(3, 4, 0.4), Link(4, 5, 0.4)]);

        // 1–2 and 3–4 join first (ids break the tie); then {1,2} and {3,4} average 0.4 / 4 = 0.1,
        // and 5 to {3,4} averages 0.4 / 2 = 0.2: both under 0.25, so 5 stays alone.
        Assert.Equal(new long[] { 1, 1, 3, 3, 5 }, threads.OrderBy(p => p.Key).Select(p => p.Value));
    }

    [Fact]
    public void An_article_alike_to_most_of_a_thread_joins_it_and_one_alike_to_one_member_does_not()
    {
        var published = Enumerable.Range(1, 5).ToDictionary(i => (long)i, _ => Day);
        var threads = StoryThreads.Threads(published, [
            Link(1, 2, 0.6), Link(1, 3, 0.5), Link(2, 3, 0.5),
            // 4 is alike to two of the three (average (0.4 + 0.4) / 3 = 0.27); 5 only to 1 (0.6 / 4 = 0.15).
            Link(1, 4, 0.4), Link(2, 4, 0.4),
            Link(1, 5, 0.6),
        ]);

        Assert.Equal(new long[] { 1, 1, 1, 1, 5 }, threads.OrderBy(p => p.Key).Select(p => p.Value));
    }

    [Fact]
    public void Two_threads_further_apart_than_thirty_days_do_not_join()
    {
        var published = new Dictionary<long, long> { [1] = 0, [2] = 20 * Day, [3] = 40 * Day };
        var threads = StoryThreads.Threads(published, [Link(1, 2, 0.9), Link(2, 3, 0.8), Link(1, 3, 0.8)]);

        Assert.Equal(new long[] { 1, 1, 3 }, threads.OrderBy(p => p.Key).Select(p => p.Value));
    }
}
