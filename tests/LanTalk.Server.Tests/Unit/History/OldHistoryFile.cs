using LanTalk.Server.History;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>A history.db as an older server left it: the schema steps up to a version, then rows written the way that version wrote them.</summary>
internal static class OldHistoryFile
{
    /// <summary>Creates <paramref name="path"/> at schema <paramref name="version"/> and runs <paramref name="sql"/> on it (empty: no rows).</summary>
    public static void Create(string path, int version, string sql = "")
    {
        using var connection = Open(path);
        HistorySchema.Migrate(connection, path, target: version);
        if (sql.Length > 0)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A plain connection to <paramref name="path"/>, unpooled so the file is closed when it is disposed, with the functions the schema calls.</summary>
    public static SqliteConnection Open(string path)
    {
        SqliteNative.EnsureInitialized();
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        SearchFold.Register(connection);
        return connection;
    }
}
