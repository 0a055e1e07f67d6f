using System.Data.Common;
using Dapper;
using NewsArchive.Web.Model;

namespace NewsArchive.Web.Storage;

/// <summary>One article's row: the token streams of its folded title and body, and its facet tokens (Search/IndexDocument.cs), in <see cref="IndexColumns"/>' order.</summary>
public sealed record IndexRow(string TitleWords, string TitleGrams, string TitleChars, string BodyWords, string BodyGrams, string BodyChars, string Facets)
{
    /// <summary>The seven streams in <see cref="IndexColumns"/>' order.</summary>
    public string[] Streams => [TitleWords, TitleGrams, TitleChars, BodyWords, BodyGrams, BodyChars, Facets];
}

/// <summary>
/// What a search index is built with (FTS5, RUM, GIN) and, when it is slower than it could be,
/// why: <see cref="Missing"/> is one of the constants here (their text is the operator page's
/// <c>Operator.SearchIndex.{Missing}</c> and the status command's).
/// </summary>
public sealed record SearchIndexKind(string Kind, string? Missing)
{
    /// <summary>The setting turned it off (Archive:PostgresRum=false).</summary>
    public const string TurnedOff = "turned-off";

    /// <summary>The database server has no postgresql-15-rum package.</summary>
    public const string NotInstalled = "not-installed";

    /// <summary>The package is there; the extension is not in this database (creating it needs a superuser).</summary>
    public const string NotCreated = "not-created";

    /// <summary>The extension is there; the index is built at the app's next start (or command).</summary>
    public const string NotBuilt = "not-built";
}

/// <summary>Writes articles' rows a transaction at a time (<see cref="ISearchIndex.Inserter"/>); disposed before the commit.</summary>
public interface IIndexInserter : IDisposable
{
    void Put(long sortKey, IndexRow row);
}

/// <summary>
/// The search index: each article's <see cref="IndexRow"/> under its sort_key, and the reads of an
/// <see cref="IndexQuery"/>, which each implementation translates to its backend: FTS5 in the SQLite
/// index file (Sqlite/SqliteSearchIndex.cs), tsvector chunks in PostgreSQL (Postgres/PostgresSearchIndex.cs).
/// <see cref="Database.Index"/> is the one for the archive's backend. The writes run on the index
/// writer's connection, the reads on reader connections (Database.Open). Ranges are of sort keys, inclusive.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Empties the index and marks it as this archive's, caught up to appliedSeq (<see cref="IndexStateStore"/>).</summary>
    void Reset(DbConnection c, string archiveId, long appliedSeq, DbTransaction tx);

    IIndexInserter Inserter(DbConnection c, DbTransaction tx);

    /// <summary>After the migrations, on the primary: the index built as the settings ask and the server allows (PostgreSQL's RUM).</summary>
    void Prepare(DbConnection c);

    /// <summary>What the index is built with, and what it lacks, for the operator (status, /operator).</summary>
    SearchIndexKind Describe(DbConnection c);

    void Delete(DbConnection c, long sortKey, DbTransaction tx);

    /// <summary>Before and after a bulk load of the index: how its storage takes what is written (FTS5: its merge policy; PostgreSQL: without its search indexes, built at the end).</summary>
    void SetMerging(DbConnection c, bool bulkLoad);

    /// <summary>After a bulk load: the index made fastest to search.</summary>
    void Optimize(DbConnection c);

    /// <summary>How many articles in [min, max] match q.</summary>
    long Count(DbConnection c, IndexQuery q, long min, long max);

    /// <summary>Outlet and sort_key of every match (the search page's outlet and period facets).</summary>
    List<(string Outlet, long SortKey)> OutletsOfMatches(DbConnection c, IndexQuery q, long min, long max);

    /// <summary>A page of the matches' keys, newest first.</summary>
    List<long> Newest(DbConnection c, IndexQuery q, long min, long max, int size, int offset);

    /// <summary>
    /// A page of the newest <paramref name="window"/> matches by relevance (a title hit weighs more than one in the body);
    /// oneTerm: q is one term (a shortcut for a ranking that weighs terms).
    /// </summary>
    List<long> Ranked(DbConnection c, IndexQuery q, long min, long max, bool oneTerm, int window, int size, int offset);

    /// <summary>The newest <paramref name="limit"/> matches, by relevance if ranked, else newest first.</summary>
    List<long> Candidates(DbConnection c, IndexQuery q, long min, long max, bool ranked, bool oneTerm, long limit);

    /// <summary>The best <paramref name="count"/> by relevance among the newest <paramref name="window"/> matches but one article.</summary>
    List<long> RankedExcept(DbConnection c, IndexQuery q, long self, int window, int count);

    /// <summary>A subquery of the sort keys of the articles that match q, for a statement of the articles; its parameters are added to <paramref name="args"/>.</summary>
    string MatchingKeys(IndexQuery q, DynamicParameters args);
}
