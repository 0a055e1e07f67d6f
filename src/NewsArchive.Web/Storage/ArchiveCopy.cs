using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NewsArchive.Web.Storage;

/// <summary>
/// Copies a SQLite archive into an empty PostgreSQL one (the migrate-to-postgres command), table
/// by table, every column as it is: ids, sort keys and permalinks stay, so every link keeps
/// working. The index is not copied: it is derived, and the indexer builds it on the target.
/// One store over the tables because it is one operation; each table's columns are read from
/// the target's schema, so a column added by a later migration is copied without a change here.
/// </summary>
public static class ArchiveCopy
{
    /// <summary>
    /// In this order: takedowns before articles (the target's triggers keep taken-down articles
    /// out, and a takedown finds no article to remove yet), revisions and tags after their articles.
    /// </summary>
    public static readonly string[] Tables =
        ["archive_info", "outlets", "takedowns", "takedown_identity", "articles", "source_files", "article_aliases", "article_revisions", "tags", "article_tags", "media", "ingest_runs"];

    /// <summary>Rows in a table of the target (to refuse a target that is not empty).</summary>
    public static long Count(NpgsqlConnection c, string table) =>
        c.ExecuteScalar<long>($"SELECT count(*) FROM {Checked(table)}");

    /// <summary>Copies one table with binary COPY; the rows copied.</summary>
    public static long Copy(SqliteConnection from, NpgsqlConnection to, string table, NpgsqlTransaction tx)
    {
        var columns = to.Query<(string Name, string Type)>(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @table ORDER BY ordinal_position",
            new { table }, tx).AsList();
        var names = string.Join(", ", columns.Select(c => c.Name));
        if (table == "archive_info")
        {
            // The target's migration made its own row; the archive keeps its identity.
            to.Execute("DELETE FROM archive_info", transaction: tx);
        }
        using var read = from.CreateCommand();
        read.CommandText = $"SELECT {names} FROM {Checked(table)}";
        using var rows = read.ExecuteReader();
        using var writer = to.BeginBinaryImport($"COPY {Checked(table)} ({names}) FROM STDIN (FORMAT BINARY)");
        long copied = 0;
        while (rows.Read())
        {
            writer.StartRow();
            for (var i = 0; i < columns.Count; i++)
            {
                if (rows.IsDBNull(i))
                {
                    writer.WriteNull();
                    continue;
                }
                switch (columns[i].Type)
                {
                    case "bigint":
                        writer.Write(rows.GetInt64(i), NpgsqlTypes.NpgsqlDbType.Bigint);
                        break;
                    case "integer":
                        writer.Write(rows.GetInt32(i), NpgsqlTypes.NpgsqlDbType.Integer);
                        break;
                    case "boolean":
                        writer.Write(rows.GetInt64(i) != 0, NpgsqlTypes.NpgsqlDbType.Boolean);
                        break;
                    default:
                        writer.Write(rows.GetString(i), NpgsqlTypes.NpgsqlDbType.Text);
                        break;
                }
            }
            copied++;
        }
        writer.Complete();
        return copied;
    }

    /// <summary>Moves the target's id sequences past the copied ids, so new rows get new ones.</summary>
    public static void AdvanceSequences(NpgsqlConnection c, NpgsqlTransaction tx)
    {
        foreach (var table in new[] { "media", "ingest_runs", "article_revisions", "tags" })
        {
            c.Execute($"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)", transaction: tx);
        }
    }

    private static string Checked(string table) =>
        Tables.Contains(table) ? table : throw new ArgumentOutOfRangeException(nameof(table), table, "not a table of the archive");
}
