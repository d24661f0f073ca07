using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LanTalk.Server.History;

/// <summary>
/// One prepared statement stepped through SQLitePCL directly, for the writer's per-message inserts. Through
/// <see cref="SqliteCommand"/> each execution allocates a data reader, a binder per parameter and a box per number
/// (about 1.5 KB per message, measured with <c>lantalk-server history bench</c>), and at the rooms scenario's 1,800
/// messages a second that garbage was what set how often the server paused for a collection. Here binding and
/// stepping allocate nothing. Writer thread only, like the connection it was prepared on.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        int rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds text as UTF-16 (SQLite copies it), or NULL.</summary>
    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    /// <summary>Runs the statement to its end (an INSERT: one step), then resets it for the next use.</summary>
    /// <exception cref="SqliteException">SQLite refused it (a full disk, a read-only file); the statement is reset either way.</exception>
    public void Execute()
    {
        if (!TryExecute(out int rc))
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    /// <summary>
    /// As <see cref="Execute"/>, but SQLITE_BUSY and SQLITE_LOCKED come back as false instead of an exception: the
    /// caller retries those through <see cref="SqliteCommand"/>, which waits for the lock as it always did.
    /// </summary>
    /// <exception cref="SqliteException">Any other failure.</exception>
    public bool TryExecuteUnlessBusy()
    {
        if (TryExecute(out int rc))
        {
            return true;
        }

        if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
        {
            return false;
        }

        SqliteException.ThrowExceptionForRC(rc, _db);
        return false;
    }

    public void Dispose() => _statement.Dispose();

    private bool TryExecute(out int rc)
    {
        rc = raw.sqlite3_step(_statement);
        // reset repeats a failed step's error code, and a statement is reusable only after it.
        raw.sqlite3_reset(_statement);
        return rc is raw.SQLITE_DONE or raw.SQLITE_ROW;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
