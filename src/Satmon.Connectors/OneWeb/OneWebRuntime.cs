using Microsoft.Extensions.Logging;
using System.Text.Json.Serialization.Metadata;
using Satmon.Connectors.OneWeb.Client;
using Satmon.Core.Connectors;
using Satmon.Core.History;
using Satmon.Core.Tables;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// One OneWeb element: runs its poll tasks. Every list is read whole and checked before anything is written, so a
/// failed or drifted response leaves the stored rows as they were. The hello gate itself is the polling manager's
/// (every other task depends on <c>hello</c>).
/// </summary>
internal sealed partial class OneWebRuntime : IElementRuntime
{
    private readonly IElementContext _context;
    private readonly OneWebOptions _options;
    private readonly OneWebHttp _http;
    private readonly OneWebClient _client;
    private readonly PerformancePoller _performance;

    public OneWebRuntime(IElementContext context)
    {
        _context = context;
        _options = OneWebOptions.From(context.Settings);
        _http = new OneWebHttp(context.HttpClientFactory, context.Time, _options);
        _client = new OneWebClient(_http, _options);
        _performance = new PerformancePoller(context, new ReportClient(_http, _options, context.Time), _options);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PollAsync(string task, CancellationToken cancellationToken) => task switch
    {
        OneWebTasks.Hello => HelloAsync(cancellationToken),
        OneWebTasks.UserTerminals => UserTerminalsAsync(cancellationToken),
        OneWebTasks.Products => ReplaceAsync("Products", _options.ProductPath, OneWebJsonContext.Default.WireProduct,
            p => p.Id, "product", InventoryMapper.Product, OneWebTables.Products, cancellationToken),
        OneWebTasks.Organizations => ReplaceAsync("Organizations", _options.OrganizationPath, OneWebJsonContext.Default.WireOrganization,
            o => o.Id, "organization", InventoryMapper.Organization, OneWebTables.Organizations, cancellationToken),
        OneWebTasks.Sites => ReplaceAsync("Sites", _options.SitePath, OneWebJsonContext.Default.WireSite,
            s => s.Id, "site", InventoryMapper.Site, OneWebTables.Sites, cancellationToken),
        OneWebTasks.TerminalPerformance => _performance.PollTerminalsAsync(cancellationToken),
        OneWebTasks.ProductPerformance => _performance.PollProductsAsync(cancellationToken),
        OneWebTasks.UsageConsumption => UsageAsync(cancellationToken),
        _ => throw new InvalidOperationException($"The OneWeb connector has no task '{task}'."),
    };

    public Task<CommandResult> ExecuteCommandAsync(string command, CancellationToken cancellationToken) =>
        Task.FromResult(new CommandResult(false, $"The OneWeb connector has no command '{command}'."));

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        var now = _context.Time.GetUtcNow();
        try
        {
            var hello = await _client.HelloAsync(cancellationToken);
            await WriteStatusAsync(new Dictionary<string, object?>
            {
                ["authenticationStatus"] = "Authenticated",
                ["helloConfirmation"] = hello.Confirmation,
                ["lastHello"] = now,
                ["lastHelloResult"] = "Succeeded (HTTP 200)",
            }, cancellationToken);
            LogHello(_context.Logger, _context.ElementId, hello.Confirmation);
        }
        catch (VendorException ex)
        {
            await WriteStatusAsync(new Dictionary<string, object?>
            {
                ["authenticationStatus"] = ex is AuthenticationFailedException ? "Authentication failed" : "Not confirmed",
                ["lastHello"] = now,
                ["lastHelloResult"] = ex.Message,
            }, cancellationToken);
            throw;
        }
    }

    private Task WriteStatusAsync(Dictionary<string, object?> values, CancellationToken cancellationToken) =>
        _context.Tables.UpsertAsync(OneWebTables.General, [new TableRow(OneWebTables.StatusKey, values)], cancellationToken);

    private async Task UserTerminalsAsync(CancellationToken cancellationToken)
    {
        const string call = "User terminals";
        var components = new List<TableRow>();
        var rows = await ReadAsync(call, _options.UserTerminalPath, OneWebClient.TerminalFields, OneWebJsonContext.Default.WireUserTerminal,
            t => t.Imei ?? t.Id, "user terminal", (t, check) => InventoryMapper.Terminal(t, check, _options.LatitudeFirst, components), cancellationToken);

        // Upsert rather than replace: the terminal row also carries the latest latency and throughput that the
        // performance task copies onto it. Terminals the vendor no longer lists are removed.
        var stored = await TableKeys.ReadAsync(_context.Tables, OneWebTables.UserTerminals, cancellationToken);
        stored.ExceptWith(rows.Select(r => r.Key));
        await _context.Tables.UpsertAsync(OneWebTables.UserTerminals, rows, cancellationToken);
        if (stored.Count > 0)
        {
            await _context.Tables.DeleteAsync(OneWebTables.UserTerminals, stored, cancellationToken);
        }

        await _context.Tables.ReplaceAsync(OneWebTables.TerminalComponents, Distinct(components), cancellationToken);
        LogInventory(_context.Logger, _context.ElementId, call, rows.Count, stored.Count);
    }

    private async Task ReplaceAsync<T>(
        string call, string path, JsonTypeInfo<T> type, Func<T, string?> idOf, string item,
        Func<T, WireCheck, TableRow> map, string table, CancellationToken cancellationToken)
        where T : WireObject
    {
        var rows = await ReadAsync(call, path, fields: null, type, idOf, item, map, cancellationToken);
        await _context.Tables.ReplaceAsync(table, rows, cancellationToken);
        LogInventory(_context.Logger, _context.ElementId, call, rows.Count, 0);
    }

    private async Task UsageAsync(CancellationToken cancellationToken)
    {
        const string call = "Usage consumption";
        var points = new List<HistoryPoint>();
        var rows = await ReadAsync(call, _options.UsageConsumptionPath, fields: null, OneWebJsonContext.Default.WireUsageReport, r => r.Id,
            "usage report", (report, check) =>
            {
                var (row, trended) = UsageMapper.Usage(report, check);
                points.AddRange(trended);
                return row;
            }, cancellationToken);
        await _context.History.WriteAsync(points, cancellationToken);
        await _context.Tables.UpsertAsync(OneWebTables.UsageConsumption, rows, cancellationToken);
        LogInventory(_context.Logger, _context.ElementId, call, rows.Count, 0);
    }

    /// <summary>
    /// Reads a whole list, mapping (and so checking) each item as its page arrives. Nothing is written here: one bad
    /// item fails the task before any row is stored.
    /// </summary>
    private async Task<List<TableRow>> ReadAsync<T>(
        string call, string path, string? fields, JsonTypeInfo<T> type, Func<T, string?> idOf, string item,
        Func<T, WireCheck, TableRow> map, CancellationToken cancellationToken)
        where T : WireObject
    {
        var rows = new List<TableRow>();
        await _client.ListAsync(call, path, fields, type, idOf,
            (wire, index) => rows.Add(map(wire, new WireCheck(call, item, index, idOf(wire), wire.Unmapped))), cancellationToken);
        return Distinct(rows);
    }

    private List<TableRow> Distinct(List<TableRow> rows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = rows.Where(r => seen.Add(r.Key)).ToList();
        if (distinct.Count < rows.Count)
        {
            LogDuplicates(_context.Logger, _context.ElementId, rows.Count - distinct.Count);
        }

        return distinct;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: hello confirmed: {Confirmation}")]
    private static partial void LogHello(ILogger logger, string elementId, string confirmation);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Element {ElementId}: {Call}: {Rows} rows stored, {Removed} removed")]
    private static partial void LogInventory(ILogger logger, string elementId, string call, int rows, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: {Count} repeated row key(s) in a vendor response were skipped (first kept)")]
    private static partial void LogDuplicates(ILogger logger, string elementId, int count);
}
