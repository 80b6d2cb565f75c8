using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres;

/// <summary>
/// Where the store connects, for messages: host, port, database and user, never the password. Turns a failed
/// connection attempt into one sentence an operator can act on.
/// </summary>
internal sealed class PostgresServer
{
    private readonly string _database;
    private readonly string _user;
    private readonly string _hostPort;

    public PostgresServer(NpgsqlConnectionStringBuilder builder)
    {
        var port = builder.Port.ToString(CultureInfo.InvariantCulture);
        _database = builder.Database ?? builder.Username ?? "(default)";
        _user = builder.Username ?? "(default)";
        _hostPort = $"{builder.Host}:{port}";
        Display = $"{_hostPort}/{_database}";
    }

    /// <summary><c>host:port/database</c>.</summary>
    public string Display { get; }

    /// <summary>Opens a connection; a failure to reach or log in becomes an exception whose message says where and why.</summary>
    public async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException(
                $"Cannot open PostgreSQL database '{_database}' on {_hostPort} as user '{_user}': {Cause(ex)}. " +
                $"Check {PostgresStoreOptions.ConnectionStringKey} and that the server is running.", ex);
        }
    }

    private string Cause(Exception ex)
    {
        if (Find<PostgresException>(ex) is { } postgres)
        {
            return postgres.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword => $"password authentication failed for user '{_user}'",
                PostgresErrorCodes.InvalidAuthorizationSpecification => $"the server refused the login ({postgres.MessageText})",
                PostgresErrorCodes.InvalidCatalogName => $"database '{_database}' does not exist",
                PostgresErrorCodes.CannotConnectNow => "the server is starting up or shutting down",
                PostgresErrorCodes.TooManyConnections => "the server has too many connections",
                _ => $"{postgres.SqlState} {postgres.MessageText}",
            };
        }

        if (Find<SocketException>(ex) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (nothing listens on that port)",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                SocketError.TimedOut => "connection timed out",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
                _ => socket.Message,
            };
        }

        return Find<TimeoutException>(ex) is not null ? "connection timed out" : ex.Message;
    }

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }
        }

        return null;
    }
}
