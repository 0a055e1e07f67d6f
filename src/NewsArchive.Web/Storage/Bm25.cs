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
/// </summary>
public static unsafe class Bm25
{
    public const string Name = "rank_bm25";
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int SqliteOk = 0;
    private const int SqliteRow = 100;

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

    /// <summary>What a query's rows share: kept by FTS5 between rows (xSetAuxdata), freed with the query.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct QueryData
    {
        public int Phrases;
        public int Weights;
        public double AverageLength;
        public long Rows;
        // Followed by Weights weights, then per phrase its IDF (NaN until counted) and its frequency in the row.
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Rank(Fts5ExtensionApi* api, IntPtr fts, IntPtr ctx, int argc, IntPtr* argv)
    {
        var q = (QueryData*)api->xGetAuxdata(fts, 0);
        var rc = q == null ? Start(api, fts, argc, argv, out q) : SqliteOk;
        var weights = (double*)(q + 1);
        var idf = weights + q->Weights;
        var freq = idf + q->Phrases;
        new Span<double>(freq, q->Phrases).Clear();
        int instances = 0, phrase, column, offset, tokens = 0;
        if (rc == SqliteOk)
        {
            rc = api->xInstCount(fts, &instances);
        }
        for (var i = 0; rc == SqliteOk && i < instances; i++)
        {
            rc = api->xInst(fts, i, &phrase, &column, &offset);
            freq[phrase] += column < q->Weights ? weights[column] : 1.0;
        }
        if (rc == SqliteOk)
        {
            rc = api->xColumnSize(fts, -1, &tokens);
        }
        var score = 0.0;
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
                var x = Math.Log((q->Rows - hits + 0.5) / (hits + 0.5));
                idf[i] = x <= 0 ? 1e-6 : x;
            }
            score += idf[i] * freq[i] * (K1 + 1) / (freq[i] + K1 * (1 - B + B * tokens / q->AverageLength));
        }
        if (rc == SqliteOk)
        {
            sqlite3_result_double(ctx, -score);
        }
        else
        {
            sqlite3_result_error_code(ctx, rc);
        }
    }

    private static int Start(Fts5ExtensionApi* api, IntPtr fts, int argc, IntPtr* argv, out QueryData* q)
    {
        var phrases = api->xPhraseCount(fts);
        var weights = Math.Max(0, argc - 1);
        q = (QueryData*)NativeMemory.AllocZeroed((nuint)(sizeof(QueryData) + sizeof(double) * (weights + 2 * phrases)));
        q->Phrases = phrases;
        q->Weights = weights;
        long rows = 0, tokens = 0;
        var rc = api->xRowCount(fts, &rows);
        if (rc == SqliteOk)
        {
            rc = api->xColumnTotalSize(fts, -1, &tokens);
        }
        q->Rows = rows;
        q->AverageLength = (double)Math.Max(1, tokens) / Math.Max(1, rows);
        var w = (double*)(q + 1);
        for (var i = 0; i < weights; i++)
        {
            w[i] = sqlite3_value_double(argv[i + 1]);
        }
        // One term: an IDF of 1 for every phrase (the order is the same); otherwise counted when first needed.
        var oneTerm = argc > 0 && sqlite3_value_int(argv[0]) != 0;
        new Span<double>(w + weights, phrases).Fill(oneTerm ? 1.0 : double.NaN);
        var set = api->xSetAuxdata(fts, q, &Free);
        return rc == SqliteOk ? set : rc;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CountRow(Fts5ExtensionApi* api, IntPtr fts, void* hits)
    {
        (*(long*)hits)++;
        return SqliteOk;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Free(void* p) => NativeMemory.Free(p);

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
}
