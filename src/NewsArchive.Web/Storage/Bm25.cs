using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace NewsArchive.Web.Storage;

/// <summary>
/// An FTS5 ranking function, <c>rank_bm25(search_index, one_term, weight...)</c>: FTS5's own bm25
/// (same k1, b, column weights and IDF), except where the IDF does not change the order. FTS5's
/// bm25 first counts every match of every phrase of the query for its IDF, one more pass over all
/// the matches of a common term after the count the engine already made: half the time of a first
/// page for 美国 on 104k articles. Here a query of one term (whose phrases are its forms) ranks
/// with an IDF of 1 for all, which gives the same order; in a query of several terms the IDF of a
/// phrase is counted only once a ranked row has it (never for an excluded term or a facet).
/// <para>
/// Memory and errors, since these callbacks run inside SQLite: a query's data (<see cref="QueryData"/>)
/// comes from sqlite3_malloc64 and belongs to FTS5 from the moment it is passed to xSetAuxdata, which
/// frees it with sqlite3_free (<see cref="Free"/>) when the query ends, when another call replaces it,
/// or at once if xSetAuxdata fails; so a callback uses only the pointer xGetAuxdata returns, or the one
/// it set with SQLITE_OK, and only until it returns. No callback lets an exception out: an allocation
/// or a SQLite call that fails is the statement's error (SQLITE_NOMEM, or the call's code).
/// </para>
/// </summary>
public static unsafe class Bm25
{
    public const string Name = "rank_bm25";
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int SqliteOk = 0;
    private const int SqliteNoMem = 7;
    private const int SqliteRow = 100;

    /// <summary>Binds every P/Invoke below now, where a failure is an exception for the caller, never inside a callback.</summary>
    static Bm25() => Marshal.PrelinkAll(typeof(Bm25));

    /// <summary>Adds the function to a connection (once per native connection: a pooled one keeps it).</summary>
    public static void Register(SqliteConnection c)
    {
        var db = c.Handle!.DangerousGetHandle();
        Fts5Api* api = null;
        IntPtr stmt;
        fixed (byte* sql = "SELECT fts5(?1)\0"u8, type = "fts5_api_ptr\0"u8)
        {
            Check(sqlite3_prepare_v2(db, sql, -1, &stmt, IntPtr.Zero), "prepare");
            try
            {
                Check(sqlite3_bind_pointer(stmt, 1, &api, type, IntPtr.Zero), "bind");
                if (sqlite3_step(stmt) != SqliteRow || api == null)
                {
                    throw new InvalidOperationException("FTS5 is not available in this SQLite");
                }
            }
            finally
            {
                _ = sqlite3_finalize(stmt);
            }
        }
        fixed (byte* name = "rank_bm25\0"u8)
        {
            Check(api->xCreateFunction(api, name, IntPtr.Zero, &Rank, IntPtr.Zero), "xCreateFunction");
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != SqliteOk)
        {
            throw new InvalidOperationException($"registering {Name}: {what} returned SQLite error {rc}");
        }
    }

    /// <summary>
    /// What a query's rows share, after its fixed part: <see cref="Weights"/> weights, then per
    /// phrase its IDF (NaN until counted), then per phrase its frequency in the current row.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct QueryData
    {
        public int Phrases;
        public int Weights;
        public double AverageLength;
        public long Rows;
        public int OneTerm;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Rank(Fts5ExtensionApi* api, IntPtr fts, IntPtr ctx, int argc, IntPtr* argv)
    {
        // Nothing may unwind into SQLite: every failure becomes the statement's error.
        try
        {
            var rc = Score(api, fts, argc, argv, out var score);
            if (rc == SqliteOk)
            {
                sqlite3_result_double(ctx, -score);
            }
            else if (rc == SqliteNoMem)
            {
                sqlite3_result_error_nomem(ctx);
            }
            else
            {
                sqlite3_result_error_code(ctx, rc);
            }
        }
        catch (OutOfMemoryException)
        {
            sqlite3_result_error_nomem(ctx);
        }
        catch (Exception)
        {
            fixed (byte* message = "rank_bm25 failed\0"u8)
            {
                sqlite3_result_error(ctx, message, -1);
            }
        }
    }

    private static int Score(Fts5ExtensionApi* api, IntPtr fts, int argc, IntPtr* argv, out double score)
    {
        score = 0;
        var q = (QueryData*)api->xGetAuxdata(fts, 0);
        if (q == null || !SameArguments(q, argc, argv))
        {
            var started = Start(api, fts, argc, argv, out q);
            if (started != SqliteOk)
            {
                return started;
            }
        }
        var weights = (double*)(q + 1);
        var idf = weights + q->Weights;
        var freq = idf + q->Phrases;
        new Span<double>(freq, q->Phrases).Clear();
        int instances = 0, phrase, column, offset, tokens = 0;
        var rc = api->xInstCount(fts, &instances);
        for (var i = 0; rc == SqliteOk && i < instances; i++)
        {
            rc = api->xInst(fts, i, &phrase, &column, &offset);
            if (rc == SqliteOk)
            {
                freq[phrase] += column < q->Weights ? weights[column] : 1.0;
            }
        }
        if (rc == SqliteOk)
        {
            rc = api->xColumnSize(fts, -1, &tokens);
        }
        for (var i = 0; rc == SqliteOk && i < q->Phrases; i++)
        {
            if (freq[i] == 0)
            {
                continue;
            }
            if (double.IsNaN(idf[i]))
            {
                long hits = 0;
                rc = api->xQueryPhrase(fts, i, &hits, &CountRow);
                if (rc != SqliteOk)
                {
                    break;
                }
                var x = Math.Log((q->Rows - hits + 0.5) / (hits + 0.5));
                idf[i] = x <= 0 ? 1e-6 : x;
            }
            score += idf[i] * freq[i] * (K1 + 1) / (freq[i] + K1 * (1 - B + B * tokens / q->AverageLength));
        }
        return rc;
    }

    /// <summary>
    /// Whether the query data was made for these arguments: FTS5 keeps one auxdata per function and
    /// cursor, so two calls of rank_bm25 in one statement find each other's.
    /// </summary>
    private static bool SameArguments(QueryData* q, int argc, IntPtr* argv)
    {
        if (q->Weights != Math.Max(0, argc - 1) || q->OneTerm != OneTerm(argc, argv))
        {
            return false;
        }
        var weights = (double*)(q + 1);
        for (var i = 0; i < q->Weights; i++)
        {
            if (weights[i] != sqlite3_value_double(argv[i + 1]))
            {
                return false;
            }
        }
        return true;
    }

    private static int OneTerm(int argc, IntPtr* argv) => argc > 0 && sqlite3_value_int(argv[0]) != 0 ? 1 : 0;

    /// <summary>Makes the query's data and hands it to FTS5; q is null unless it returns SQLITE_OK.</summary>
    private static int Start(Fts5ExtensionApi* api, IntPtr fts, int argc, IntPtr* argv, out QueryData* q)
    {
        q = null;
        long rows = 0, tokens = 0;
        var rc = api->xRowCount(fts, &rows);
        if (rc == SqliteOk)
        {
            rc = api->xColumnTotalSize(fts, -1, &tokens);
        }
        if (rc != SqliteOk)
        {
            return rc;
        }
        var phrases = api->xPhraseCount(fts);
        var weights = Math.Max(0, argc - 1);
        // SQLite's allocator: NULL when it fails, where NativeMemory would throw.
        var data = (QueryData*)sqlite3_malloc64((ulong)sizeof(QueryData) + sizeof(double) * ((ulong)weights + 2UL * (ulong)phrases));
        if (data == null)
        {
            return SqliteNoMem;
        }
        data->Phrases = phrases;
        data->Weights = weights;
        data->Rows = rows;
        data->AverageLength = (double)Math.Max(1, tokens) / Math.Max(1, rows);
        data->OneTerm = OneTerm(argc, argv);
        var w = (double*)(data + 1);
        for (var i = 0; i < weights; i++)
        {
            w[i] = sqlite3_value_double(argv[i + 1]);
        }
        // One term: an IDF of 1 for every phrase (the order is the same); otherwise counted when first needed.
        new Span<double>(w + weights, phrases).Fill(data->OneTerm != 0 ? 1.0 : double.NaN);
        // FTS5 owns data from here, whatever this returns (on failure it has already freed it).
        rc = api->xSetAuxdata(fts, data, &Free);
        if (rc == SqliteOk)
        {
            q = data;
        }
        return rc;
    }

    // CountRow and Free cannot throw: no allocation, and every P/Invoke is bound when the class starts.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CountRow(Fts5ExtensionApi* api, IntPtr fts, void* hits)
    {
        (*(long*)hits)++;
        return SqliteOk;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Free(void* p) => sqlite3_free(p);

    // The two structs of fts5.h this needs, up to the last member used (their layout is fixed by SQLite's ABI).
    [StructLayout(LayoutKind.Sequential)]
    private struct Fts5Api
    {
        public int Version;
        public IntPtr xCreateTokenizer;
        public IntPtr xFindTokenizer;
        public delegate* unmanaged[Cdecl]<Fts5Api*, byte*, IntPtr, delegate* unmanaged[Cdecl]<Fts5ExtensionApi*, IntPtr, IntPtr, int, IntPtr*, void>, IntPtr, int> xCreateFunction;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Fts5ExtensionApi
    {
        public int Version;
        public IntPtr xUserData;
        public IntPtr xColumnCount;
        public delegate* unmanaged[Cdecl]<IntPtr, long*, int> xRowCount;
        public delegate* unmanaged[Cdecl]<IntPtr, int, long*, int> xColumnTotalSize;
        public IntPtr xTokenize;
        public delegate* unmanaged[Cdecl]<IntPtr, int> xPhraseCount;
        public IntPtr xPhraseSize;
        public delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int*, int> xInstCount;
        public delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, int*, int*, int*, int> xInst;
        public IntPtr xRowid;
        public IntPtr xColumnText;
        public delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, int*, int> xColumnSize;
        public delegate* unmanaged[Cdecl]<IntPtr, int, void*, delegate* unmanaged[Cdecl]<Fts5ExtensionApi*, IntPtr, void*, int>, int> xQueryPhrase;
        public delegate* unmanaged[Cdecl]<IntPtr, void*, delegate* unmanaged[Cdecl]<void*, void>, int> xSetAuxdata;
        public delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, void*> xGetAuxdata;
    }

    // The SQLite library Microsoft.Data.Sqlite loaded (SQLitePCLRaw's e_sqlite3), called directly:
    // its wrapper has no sqlite3_bind_pointer, which is how FTS5 hands out its API.
    [DllImport("e_sqlite3")]
    private static extern int sqlite3_prepare_v2(IntPtr db, byte* sql, int bytes, IntPtr* stmt, IntPtr tail);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_bind_pointer(IntPtr stmt, int index, void* pointer, byte* type, IntPtr destructor);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_step(IntPtr stmt);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_finalize(IntPtr stmt);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_value_int(IntPtr value);

    [DllImport("e_sqlite3")]
    private static extern double sqlite3_value_double(IntPtr value);

    [DllImport("e_sqlite3")]
    private static extern void sqlite3_result_double(IntPtr ctx, double value);

    [DllImport("e_sqlite3")]
    private static extern void sqlite3_result_error_code(IntPtr ctx, int code);

    [DllImport("e_sqlite3")]
    private static extern void sqlite3_result_error_nomem(IntPtr ctx);

    [DllImport("e_sqlite3")]
    private static extern void sqlite3_result_error(IntPtr ctx, byte* message, int bytes);

    [DllImport("e_sqlite3")]
    private static extern void* sqlite3_malloc64(ulong bytes);

    [DllImport("e_sqlite3")]
    private static extern void sqlite3_free(void* p);
}
