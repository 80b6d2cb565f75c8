using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Objects;
using Satmon.Core.Tables;

namespace Satmon.Api;

/// <summary>Resolves route values to declarations, or throws the 404 that says what exists.</summary>
internal static class ApiLookups
{
    public static async Task<ConnectorDescriptor> ConnectorOfAsync(this IElementManager elements, string elementId, CancellationToken ct)
    {
        var element = await elements.GetAsync(elementId, ct);
        return elements.GetConnector(element.Connector);
    }

    public static TableDefinition RequireTable(this ConnectorDescriptor connector, string table) =>
        connector.FindTable(table) ?? throw new ApiNotFoundException(
            $"Connector '{connector.Id}' has no table '{table}'. Tables: {string.Join(", ", connector.Tables.Select(t => t.Name))}.");

    public static ObjectDefinition RequireDefinition(this IElementManager elements, string definition)
    {
        var all = elements.Connectors.SelectMany(c => c.ObjectDefinitions).ToList();
        return all.FirstOrDefault(d => string.Equals(d.Name, definition, StringComparison.OrdinalIgnoreCase))
            ?? throw new ApiNotFoundException(
                $"No object definition '{definition}'. Definitions: {(all.Count == 0 ? "(none)" : string.Join(", ", all.Select(d => d.Name).Distinct()))}.");
    }
}
