using Microsoft.Extensions.Logging;

namespace Satmon.Simulators.SesMpower;

/// <summary>Simulator log lines. Tokens and passwords are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "mPOWER simulator issued tokens ({GrantType} grant)")]
    public static partial void TokenIssued(ILogger logger, string grantType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "mPOWER simulator rejected a {GrantType} grant: {Reason}")]
    public static partial void TokenRejected(ILogger logger, string grantType, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "mPOWER simulator created subscription {SubscriptionId}, expiring {ExpiresAt:O}")]
    public static partial void SubscriptionCreated(ILogger logger, string subscriptionId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "mPOWER simulator applied a {Fault} fault to {Path}")]
    public static partial void FaultApplied(ILogger logger, string fault, string path);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "mPOWER simulator listening on {BaseAddress} with {TerminalCount} terminals (seed {Seed})")]
    public static partial void Started(ILogger logger, Uri baseAddress, int terminalCount, int seed);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "mPOWER simulator admin: {Action}")]
    public static partial void AdminAction(ILogger logger, string action);
}
