using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Satmon.Storage.Sqlite;

/// <summary>
/// The connections to one SQLite file: a single write connection behind a lock (SQLite allows one writer at a
/// time, so queuing writers here is cheaper than letting them fight over the file lock) and a small pool of
/// read connections, which WAL lets run beside the writer.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly SqliteStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<(SqliteConnection Connection, int Generation)> _idleReaders = [];
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, object> _generations = new();
    private readonly Dictionary<string, RawStatement> _writerStatements = new(StringComparer.Ordinal);
    private int _idleReaderCount;
    private int _readerGeneration;
    private SqliteConnection? _writer;
    private WalCheckpointer? _checkpointer;
    private volatile SqliteWriterStatistics _writerStatistics = SqliteWriterStatistics.None;
    private volatile bool _disposed;

    // Reads through memory-mapped pages skip a copy per page; 256 MiB covers the hot part of large files.
    private const long MmapBytes = 256L * 1024 * 1024;

    // Checkpoints run in the background (WalCheckpointer) every WalCheckpointMegabytes of WAL; the writer's own,
    // which stalls the commit that triggers it, only when the WAL has grown to this many times that.
    private const int SafetyNetCheckpoints = 4;

    public SqliteDatabase(SqliteStoreOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The store keeps its own connections: the writer for its lifetime and idle readers in a bag, each
            // opened once with its pragmas, so the provider's pool would only add a second layer.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    public string Path => _options.DatabasePath;

    /// <summary>Runs <paramref name="work"/> on the write connection, one caller at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = _writer ?? OpenWriter();
            var started = Stopwatch.GetTimestamp();
            var cpuStarted = ThreadCpuClock.Now();
            try
            {
                return work(writer);
            }
            finally
            {
                _checkpointer?.AfterWrite(writer);
                var cpu = ThreadCpuClock.Now() - cpuStarted; // read first: the CPU interval lies inside the wall one
                _writerStatistics = _writerStatistics.After(Stopwatch.GetElapsedTime(started), cpu);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The work done on the write connection so far.</summary>
    public SqliteWriterStatistics WriterStatistics => _writerStatistics;

    /// <summary>The background checkpoints of this store so far (all zero before the first write).</summary>
    public SqliteCheckpointStatistics CheckpointStatistics => _checkpointer?.Statistics ?? SqliteCheckpointStatistics.None;

    /// <summary>Completes when the next background checkpoint has run (at once when there is no writer yet).</summary>
    public Task NextCheckpointAsync() => _checkpointer?.NextCheckpointAsync() ?? Task.CompletedTask;

    private SqliteConnection OpenWriter()
    {
        var writer = Open(writer: true);
        SqliteConnection? connection = null;
        try
        {
            // In pages of the file, which keeps the page size it was created with whatever the options say now.
            var pageSize = Convert.ToInt64(Sql.Scalar(writer, null, "PRAGMA page_size"), CultureInfo.InvariantCulture);
            var thresholdPages = Math.Max(1, WalCheckpointBytes / pageSize);
            Sql.Execute(writer, null, FormattableString.Invariant($"PRAGMA wal_autocheckpoint={SafetyNetCheckpoints * thresholdPages};"));

            // Opened after the writer, which puts a new file in WAL mode first.
            connection = new SqliteConnection(_connectionString);
            connection.Open();
            Sql.Execute(connection, null, "PRAGMA synchronous=NORMAL;");
            _checkpointer = new WalCheckpointer(connection, thresholdPages, Path, _logger);
        }
        catch
        {
            connection?.Dispose();
            writer.Dispose();
            throw;
        }

        return _writer = writer;
    }

    private long WalCheckpointBytes => _options.WalCheckpointMegabytes * 1024L * 1024;

    /// <summary>A raw statement on the write connection kept prepared across calls. Call only inside <see cref="WriteAsync{T}"/>.</summary>
    public RawStatement WriterStatement(SqliteConnection writer, string sql)
    {
        if (!_writerStatements.TryGetValue(sql, out var statement))
        {
            statement = new RawStatement(writer, sql);
            _writerStatements[sql] = statement;
        }

        return statement;
    }

    /// <summary>Finalizes the cached write statements (before tables they name are dropped, or the connection closes).</summary>
    public void ClearWriterStatements()
    {
        foreach (var statement in _writerStatements.Values)
        {
            statement.Dispose();
        }

        _writerStatements.Clear();
    }

    /// <summary>Runs <paramref name="work"/> on a read connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        var connection = RentReader();
        try
        {
            var result = work(connection);
            ReturnReader(connection);
            return result;
        }
        catch
        {
            // A connection that failed mid-read may hold an open statement or transaction: do not reuse it.
            connection.Dispose();
            throw;
        }
    }

    public SqliteConnection RentReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_idleReaders.TryTake(out var idle))
        {
            Interlocked.Decrement(ref _idleReaderCount);
            if (idle.Generation == Volatile.Read(ref _readerGeneration))
            {
                return idle.Connection;
            }

            idle.Connection.Dispose();
        }

        var connection = Open(writer: false);
        _generations.AddOrUpdate(connection, Volatile.Read(ref _readerGeneration));
        return connection;
    }

    public void ReturnReader(SqliteConnection connection)
    {
        if (!_disposed && _generations.TryGetValue(connection, out var boxed) && boxed is int generation
            && generation == Volatile.Read(ref _readerGeneration))
        {
            if (Interlocked.Increment(ref _idleReaderCount) <= _options.MaxIdleReadConnections)
            {
                _idleReaders.Add((connection, generation));
                return;
            }

            Interlocked.Decrement(ref _idleReaderCount);
        }

        connection.Dispose();
    }

    /// <summary>
    /// Retires the open read connections. SQLite loads planner statistics with the schema, and a fresh ANALYZE
    /// does not make other connections reload them; new connections do.
    /// </summary>
    public void RetireReaders() => Interlocked.Increment(ref _readerGeneration);

    private SqliteConnection Open(bool writer)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            var busyMs = ((long)_options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            var cacheKib = ((writer ? _options.WriteCacheMegabytes : _options.ReadCacheMegabytes) * 1024).ToString(CultureInfo.InvariantCulture);
            using var command = connection.CreateCommand();
            // journal_mode=WAL is stored in the file; the other pragmas hold per connection.
            // synchronous=NORMAL in WAL mode can lose the last commits on power loss but never corrupts the file.
            // page_size only takes effect on a new, empty file, so it must come before journal_mode writes the header.
            command.CommandText = (writer ? $"PRAGMA page_size={_options.PageSizeBytes}; PRAGMA journal_mode=WAL;" : "PRAGMA query_only=ON;") + $"""
                PRAGMA synchronous=NORMAL;
                PRAGMA foreign_keys=ON;
                PRAGMA busy_timeout={busyMs};
                PRAGMA cache_size=-{cacheKib};
                PRAGMA temp_store=MEMORY;
                PRAGMA mmap_size={MmapBytes};
                """ + (writer ? $"""
                PRAGMA journal_size_limit={WalCheckpointBytes};
                PRAGMA analysis_limit=1000;
                """ : "");
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // Wait for a write in progress so that it commits rather than failing on a closed connection.
        await _writeLock.WaitAsync();
        try
        {
            _disposed = true;
            if (_checkpointer is not null)
            {
                await _checkpointer.DisposeAsync();
                _checkpointer = null;
            }

            ClearWriterStatements();
            if (_writer is not null)
            {
                try
                {
                    // Lets SQLite refresh planner statistics it has found stale, as its docs advise on close.
                    Sql.Execute(_writer, null, "PRAGMA optimize");
                }
                catch (SqliteException ex)
                {
                    // Closing must not fail because statistics could not be refreshed.
                    Log.OptimizeFailed(_logger, ex, Path);
                }

                _writer.Dispose();
                _writer = null;
            }

            while (_idleReaders.TryTake(out var reader))
            {
                reader.Connection.Dispose();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
