using Microsoft.Extensions.Logging;

namespace Satmon.Connectors.SesInventory;

/// <summary>The connector's log lines. Never a credential: messages carry ids, counts and vendor reasons only.</summary>
internal static partial class SesInventoryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: {Definition} poll ({Mode}): {Summary}")]
    public static partial void PollFinished(ILogger logger, string elementId, string definition, string mode, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: {Definition} poll ({Mode}) ended early: {Summary} Reason: {Reason}")]
    public static partial void PollEndedEarly(ILogger logger, string elementId, string definition, string mode, string summary, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: {Definition} build-up started ({Why})")]
    public static partial void BuildUpStarted(ILogger logger, string elementId, string definition, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: {Definition} build-up completed; {Seen} ids seen")]
    public static partial void BuildUpCompleted(ILogger logger, string elementId, string definition, int seen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: {Definition} page {Page} skipped: {Reason}")]
    public static partial void PageSkipped(ILogger logger, string elementId, string definition, int page, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: {Definition} page {Page}: {Count} record(s) without an id skipped")]
    public static partial void NoIdSkipped(ILogger logger, string elementId, string definition, int page, int count);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Element {ElementId}: {Definition} page {Page}: {Count} duplicate id(s) skipped, the first occurrence kept: {Ids}")]
    public static partial void DuplicatesSkipped(ILogger logger, string elementId, string definition, int page, int count, string ids);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Element {ElementId}: resources page {Page}: {Count} resource(s) of excluded types dropped")]
    public static partial void ExcludedDropped(ILogger logger, string elementId, int page, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Element {ElementId}: services page {Page}: {Count} carrier(s) (@type=element) left to the carriers poll")]
    public static partial void CarriersInServices(ILogger logger, string elementId, int page, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: {Count} {Definition} not seen in the completed build-up removed")]
    public static partial void UnseenRemoved(ILogger logger, string elementId, string definition, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: {Definition}: {Reason}")]
    public static partial void CleanupWithheld(ILogger logger, string elementId, string definition, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: {Count} service(s) no longer Operational removed")]
    public static partial void NonOperationalRemoved(ILogger logger, string elementId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Element {ElementId}: storing {Count} {Definition} failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string elementId, string definition, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: {Definition} poll interrupted by rebuild-cache")]
    public static partial void InterruptedByRebuild(ILogger logger, string elementId, string definition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: could not update the status table")]
    public static partial void StatusWriteFailed(ILogger logger, Exception exception, string elementId);
}
