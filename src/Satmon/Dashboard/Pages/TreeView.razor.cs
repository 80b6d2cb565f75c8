using Microsoft.AspNetCore.Components;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;
using Satmon.Dashboard.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Pages;

/// <summary>
/// A table whose rows point at a parent row of the same table (OneWeb organizations: distribution partners and their
/// end customers) drawn as a tree. Chosen generically: the first column that references its own table.
/// </summary>
public partial class TreeView : DashboardPage
{
    // A tree is for reading, not for 100 000 rows: beyond this the table view (paged) is the tool.
    private const int MaxRows = 5000;

    [Inject]
    internal ISatmonStore Store { get; set; } = null!;

    [Parameter]
    public string Id { get; set; } = "";

    [Parameter]
    public string Table { get; set; } = "";

    private ElementContextView? View { get; set; }

    private TableDefinition? Definition { get; set; }

    private ColumnDefinition? ParentColumn { get; set; }

    private string? NotFound { get; set; }

    private List<TreeNode> Roots { get; set; } = [];

    private bool Truncated { get; set; }

    /// <summary>The column that makes a table a tree, or null.</summary>
    public static ColumnDefinition? FindParentColumn(TableDefinition table) =>
        table.Columns.FirstOrDefault(c => string.Equals(c.References, table.Name, StringComparison.OrdinalIgnoreCase));

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            View = await Reader.GetElementAsync(Id, Ct);
        }
        catch (ElementNotFoundException ex)
        {
            NotFound = ex.Message;
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Definition = View.Connector.FindTable(Table);
        ParentColumn = Definition is null ? null : FindParentColumn(Definition);
        if (Definition is null || ParentColumn is null)
        {
            NotFound = $"Table '{Table}' of connector '{View.Connector.Id}' does not exist or has no column referencing its own rows.";
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var rows = new List<TableRow>();
        await foreach (var row in Store.Tables.ReadAllAsync(Id, Definition.Name, Ct))
        {
            if (rows.Count == MaxRows)
            {
                Truncated = true;
                break;
            }

            rows.Add(row);
        }

        Roots = Build(rows, ParentColumn.Name);
    }

    private static List<TreeNode> Build(List<TableRow> rows, string parentColumn)
    {
        var nodes = rows.ToDictionary(r => r.Key, r => new TreeNode(r, []), StringComparer.Ordinal);
        var roots = new List<TreeNode>();
        foreach (var node in nodes.Values)
        {
            var parent = Format.Value(node.Row.Values.GetValueOrDefault(parentColumn));
            // A missing or self parent makes a root, so vendor data with a dangling parent id still shows every row.
            if (parent.Length > 0 && parent != node.Row.Key && nodes.TryGetValue(parent, out var p) && !IsAncestor(node, p, nodes, parentColumn))
            {
                p.Children.Add(node);
            }
            else
            {
                roots.Add(node);
            }
        }

        return roots;
    }

    // Guards against cycles (A → B → A) in vendor data, which would otherwise drop both rows from the tree.
    private static bool IsAncestor(TreeNode node, TreeNode candidateParent, Dictionary<string, TreeNode> nodes, string parentColumn)
    {
        var current = candidateParent;
        for (var depth = 0; depth < nodes.Count; depth++)
        {
            if (ReferenceEquals(current, node))
            {
                return true;
            }

            var next = Format.Value(current.Row.Values.GetValueOrDefault(parentColumn));
            if (next.Length == 0 || next == current.Row.Key || !nodes.TryGetValue(next, out var up))
            {
                return false;
            }

            current = up;
        }

        return true;
    }

    private string Label(TableRow row) =>
        Definition!.Columns.FirstOrDefault(c => c.Type == ColumnType.String && c.References is null) is { } nameColumn
            && Format.Value(row.Values.GetValueOrDefault(nameColumn.Name)) is { Length: > 0 } name
            ? name
            : row.Key;

    private string RowLink(string key) => $"/elements/{Esc(Id)}/tables/{Esc(Definition!.Name)}?filter={Esc($"key eq {key}")}";

    private sealed record TreeNode(TableRow Row, List<TreeNode> Children);
}
