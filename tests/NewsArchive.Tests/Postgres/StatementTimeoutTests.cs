using System.Diagnostics;
using Dapper;
using NewsArchive.Tests.Fixtures;
using NewsArchive.Web.Storage;
using Npgsql;

namespace NewsArchive.Tests.Postgres;

/// <summary>
/// PostgreSQL's guards on long reads: the server's statement_timeout on reader connections (not on
/// writers), and cancellation (Storage/StatementCancellation.cs) that never blocks the thread
/// firing the token.
/// </summary>
public sealed class StatementTimeoutTests : IDisposable
{
    private readonly TempFolder _folder = new("pg-timeout");

    public void Dispose() => _folder.Dispose();

    [PostgresFact]
    public void A_reader_statement_is_stopped_by_the_server_with_no_cancel_from_the_client()
    {
        var db = new Database(_folder.File("a.db"), PostgresServer.NewDatabase(), readerStatementTimeout: TimeSpan.FromMilliseconds(300));
        using var c = db.Open();
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<PostgresException>(() => c.Execute("SELECT pg_sleep(20)"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {watch.Elapsed}");
        Assert.True(StatementCancellation.WasInterrupted(e), e.SqlState);
        // The pool's reset keeps the setting: the next use of a pooled connection has it too.
        c.Close();
        using var again = db.Open();
        Assert.Equal("300ms", again.ExecuteScalar<string>("SHOW statement_timeout"));
    }

    [PostgresFact]
    public void Writers_have_no_statement_timeout()
    {
        var db = new Database(_folder.File("a.db"), PostgresServer.NewDatabase(), readerStatementTimeout: TimeSpan.FromMilliseconds(300));
        using var articles = db.OpenArticles();
        using var index = db.OpenIndexWriter();
        using var primary = db.OpenPrimary();
        foreach (var w in new[] { articles, index, primary })
        {
            Assert.Equal("0", w.ExecuteScalar<string>("SHOW statement_timeout"));
        }
        articles.Execute("SELECT pg_sleep(0.6)");
    }

    [PostgresFact]
    public async Task Cancelling_many_long_statements_returns_at_once_and_stops_every_one()
    {
        const int n = 16;
        // No statement_timeout here: only the cancels can stop the statements.
        var db = new Database(_folder.File("a.db"), PostgresServer.NewDatabase());
        using var cts = new CancellationTokenSource();
        var runs = Enumerable.Range(0, n).Select(_ => Task.Factory.StartNew(() =>
        {
            using var c = db.Open();
            PostgresException stopped;
            using (StatementCancellation.Interrupt(c, cts.Token))
            {
                stopped = Assert.Throws<PostgresException>(() => c.Execute("SELECT pg_sleep(30)"));
            }
            // Dispose waited for the cancel: it cannot reach the connection's next statement.
            Assert.Equal(1, c.ExecuteScalar<int>("SELECT 1"));
            return stopped;
        }, TaskCreationOptions.LongRunning)).ToArray();
        using (var watcher = db.OpenPrimary())
        {
            var until = DateTime.UtcNow.AddSeconds(10);
            while (watcher.ExecuteScalar<long>("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(30)'") < n)
            {
                Assert.True(DateTime.UtcNow < until, "the statements did not start");
                await Task.Delay(20);
            }
        }
        var watch = Stopwatch.StartNew();
        cts.Cancel();
        var cancelled = watch.Elapsed;
        // The thread pool is free meanwhile: a work item runs at once.
        var queued = Stopwatch.StartNew();
        await Task.Run(() => { });
        var poolDelay = queued.Elapsed;
        var stopped = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(20));
        var all = watch.Elapsed;
        Assert.All(stopped, e => Assert.Equal(PostgresErrorCodes.QueryCanceled, e.SqlState));
        Assert.True(cancelled < TimeSpan.FromMilliseconds(50), $"Cancel took {cancelled.TotalMilliseconds} ms");
        Assert.True(poolDelay < TimeSpan.FromMilliseconds(200), $"a work item waited {poolDelay.TotalMilliseconds} ms");
        Assert.True(all < TimeSpan.FromSeconds(5), $"the statements stopped after {all}");
    }
}
