using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Satmon.Storage.Sqlite;

/// <summary>
/// A statement prepared once on the write connection and driven through SQLitePCL directly. Used on the history
/// ingest and object write paths, where ADO.NET's per-execution work (parameter lookup by name, a data reader per
/// call) would cost more than SQLite's own work for each point or object.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, double value) => Check(raw.sqlite3_bind_double(_statement, index, value));

    public void Bind(int index, string value) => Check(raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Binds text given as UTF-8 (copied by SQLite), without the round trip through a .NET string.</summary>
    public void BindText(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_statement, index, utf8));

    /// <summary>Binds a blob; SQLite copies it (SQLITE_TRANSIENT), so the caller may reuse the buffer at once.</summary>
    public void Bind(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(_statement, index, value));

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(_statement, index));

    /// <summary>Binds a value converted by the store: null/DBNull, string, double, long.</summary>
    public void BindValue(int index, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                BindNull(index);
                break;
            case string text:
                Bind(index, text);
                break;
            case double number:
                Bind(index, number);
                break;
            case long integer:
                Bind(index, integer);
                break;
            default:
                throw new ArgumentException($"Cannot bind a {value.GetType().Name}.", nameof(value));
        }
    }

    /// <summary>Steps a query: true with a row to read, false when done (then call <see cref="Reset"/>).</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(_statement);
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    public long ColumnInt64(int index) => raw.sqlite3_column_int64(_statement, index);

    public string ColumnText(int index) => raw.sqlite3_column_text(_statement, index).utf8_to_string();

    /// <summary>A blob column of the current row; valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> ColumnBlob(int index) => raw.sqlite3_column_blob(_statement, index);

    public bool IsNull(int index) => raw.sqlite3_column_type(_statement, index) == raw.SQLITE_NULL;

    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>Runs the statement to completion and returns the rows it changed.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        // Reset right away: a statement left mid-step would block COMMIT.
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return raw.sqlite3_changes(_db);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose() => _statement.Dispose();
}
