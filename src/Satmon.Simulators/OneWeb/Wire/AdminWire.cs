namespace Satmon.Simulators.OneWeb.Wire;

/// <summary>
/// Body of <c>POST /_admin/oneweb/faults</c>. <c>kind</c> is renameField (field, newName), dropField (field) or
/// lateSample (reportType, delaySeconds; entityId, from, to optional). <c>count</c> (default 1) and
/// <c>pathPrefix</c> apply to the field kinds.
/// </summary>
internal sealed record AdminFaultWire(
    string Kind,
    int? Count,
    string? PathPrefix,
    string? Field,
    string? NewName,
    string? ReportType,
    double? DelaySeconds,
    string? EntityId,
    DateTimeOffset? From,
    DateTimeOffset? To);

internal sealed record AdminFaultListWire(IReadOnlyList<string> Faults);
