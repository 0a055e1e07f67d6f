using System.Data.Common;
using NewsArchive.Web.Model;
using NewsArchive.Web.Storage;

namespace NewsArchive.Web.Site;

/// <summary>
/// A story thread of two or more articles as the pages and the API show it (docs/stories.md, "Reading").
/// Its public id is the permalink of its smallest article id (the article articles.story_id names),
/// so it names the same thread until an older article joins it; any member's permalink finds it.
/// </summary>
public sealed record StoryThread(string Id, IReadOnlyList<ArticleRow> Articles, IReadOnlyList<(string Outlet, long Articles)> OutletCounts)
{
    /// <summary>The thread page reads its articles up to this many (threads are of a few weeks at most).</summary>
    public const int MaxArticles = 500;

    /// <summary>An article's "the same story elsewhere" box lists this many of its thread's other articles; the thread page has them all.</summary>
    public const int Elsewhere = 12;

    /// <summary>The threads told by the most outlets that a date page and the home page lead with.</summary>
    public const int TopCount = 5;

    /// <summary>The home page's top stories are of the week up to the newest article: a week of sort keys.</summary>
    public const long LatestWeekKeys = 7L * 24 * 3600 << SortKeys.SlotBits;

    /// <summary>The first article: its title is the thread's headline.</summary>
    public ArticleRow Lead => Articles[0];

    /// <summary>The outlets, in the order of their first article.</summary>
    public IReadOnlyList<string> Outlets => OutletCounts.Select(o => o.Outlet).ToList();

    /// <summary>How many articles the thread has (<see cref="Articles"/> are its first ones).</summary>
    public long Total => OutletCounts.Sum(o => o.Articles);

    /// <summary>
    /// The thread of the article at this permalink with its first <paramref name="limit"/> articles
    /// (an article page reads <see cref="Elsewhere"/> and itself); null when there is no such article or it is alone.
    /// </summary>
    public static StoryThread? Of(DbConnection c, string permalink, int limit = MaxArticles) =>
        (Permalink.IsWellFormed(permalink) ? StoryStore.ThreadOf(c, permalink, limit) : null) is { } t && t.Outlets.Sum(o => o.Articles) > 1
            ? new(t.Id, t.Articles, t.Outlets)
            : null;

    /// <summary>
    /// The day-by-day timeline: each outlet's articles per day (largest first), from the day before
    /// the first article to the day after the last, a week at least so that a day's bar stays a bar.
    /// Threading leaves undated articles alone; were one in a thread, it would be left out here.
    /// </summary>
    public (TrendPeriods Periods, TrendSeries Series)? Timeline(TimeZoneInfo zone)
    {
        var days = Articles.Where(a => a.PublishedAt is not null)
            .Select(a => (Article: a, Day: DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(a.PublishedAt!.Value, zone).DateTime))).ToList();
        if (days.Count == 0)
        {
            return null;
        }
        var from = days.Min(d => d.Day).AddDays(-1);
        var to = days.Max(d => d.Day).AddDays(1);
        var periods = new TrendPeriods(zone, from, to < from.AddDays(6) ? from.AddDays(6) : to, TrendUnit.Day);
        var outlets = days.Select(d => d.Article).GroupBy(a => a.Outlet).Select(g =>
        {
            var counts = new long[periods.Count];
            foreach (var a in g)
            {
                // A day's last seconds can hold more articles than a second's slots: their keys run into the next day, which is in range.
                counts[periods.Of(a.SortKey)!.Value]++;
            }
            return (Outlet: g.Key, Counts: counts);
        }).OrderByDescending(o => o.Counts.Sum()).ThenBy(o => o.Outlet, StringComparer.Ordinal).ToList();
        var totals = Enumerable.Range(0, periods.Count).Select(i => outlets.Sum(o => o.Counts[i])).ToArray();
        return (periods, new TrendSeries("", totals, outlets, 0));
    }
}
