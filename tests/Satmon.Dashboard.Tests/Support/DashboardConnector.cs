using Satmon.Core.Connectors;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Settings;
using Satmon.Core.Tables;

namespace Satmon.Dashboard.Tests.Support;

/// <summary>
/// A connector for the browser tests: terminals on the fleet map (two online, one offline), sites they reference, a
/// trended latency, a secret setting, an authenticate command, and a "big" table the tests fill directly.
/// </summary>
public sealed class DashboardConnector : IConnector
{
    public const string Id = "dash-test";

    public static readonly TableDefinition Terminals = new("terminals", "Terminals", "Terminal id",
    [
        new ColumnDefinition("name", ColumnType.String),
        new ColumnDefinition("status", ColumnType.Enum),
        new ColumnDefinition("latency", ColumnType.Number, Unit: "ms", Trended: true),
        new ColumnDefinition("siteId", ColumnType.String, References: "sites"),
        new ColumnDefinition("latitude", ColumnType.Number),
        new ColumnDefinition("longitude", ColumnType.Number),
    ])
    {
        Fleet = new FleetMapping("Dash Operator")
        {
            NameColumn = "name", StatusColumn = "status", LatitudeColumn = "latitude", LongitudeColumn = "longitude", LatencyColumn = "latency",
        },
    };

    /// <summary>Sites form a tree (parent references the same table): site-1 is the root of site-2 and site-3.</summary>
    public static readonly TableDefinition Sites = new("sites", "Sites", "Site id",
        [new ColumnDefinition("name", ColumnType.String), new ColumnDefinition("parent", ColumnType.String, References: "sites")]);

    public static readonly TableDefinition Big = new("big", "Big table", "Row id",
    [
        new ColumnDefinition("name", ColumnType.String),
        new ColumnDefinition("value", ColumnType.Number),
        new ColumnDefinition("site", ColumnType.String, References: "sites"),
    ]);

    public static readonly ObjectDefinition Services = new("services", "Services",
        [new FieldDefinition("name", FieldType.String), new FieldDefinition("bandwidth", FieldType.Number, "Bandwidth (Mbps)")]);

    public ConnectorDescriptor Descriptor { get; } = new(
        Id,
        "Dashboard test connector",
        [
            new SettingDefinition("baseUrl", "Base URL", SettingType.Url, "Where the fake vendor lives.") { Required = true },
            new SettingDefinition("password", "Password", SettingType.String, "Vendor password.") { Required = true, Secret = true },
            new SettingDefinition("pageSize", "Page size", SettingType.Integer, "Rows per vendor page.") { Default = "100", Minimum = 1, Maximum = 1000 },
        ],
        [
            new PollTaskDefinition("hello", "Says hello.", TimeSpan.FromHours(1)),
            new PollTaskDefinition("data", "Reads the terminals.", TimeSpan.FromMinutes(5), DependsOn: "hello"),
        ],
        [Terminals, Sites, Big],
        [Services],
        [new CommandDefinition("authenticate", "Signs in again.")]);

    public IElementRuntime CreateRuntime(IElementContext context) => new Runtime(context);

    private sealed class Runtime(IElementContext context) : IElementRuntime
    {
        private int _polls;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task PollAsync(string task, CancellationToken cancellationToken)
        {
            if (task != "data")
            {
                return;
            }

            var k = Interlocked.Increment(ref _polls);
            var now = context.Time.GetUtcNow();
            var rows = Enumerable.Range(1, 3).Select(n => new TableRow($"term-{n}", new Dictionary<string, object?>
            {
                ["name"] = $"Terminal {n}",
                ["status"] = n == 3 ? "offline" : "online",
                ["latency"] = 500.0 + (10 * n) + k,
                ["siteId"] = $"site-{n}",
                ["latitude"] = -30.0 + (20 * n),
                ["longitude"] = -60.0 + (40 * n),
            })).ToList();
            await context.Tables.UpsertAsync("sites",
                Enumerable.Range(1, 3).Select(n => new TableRow($"site-{n}", new Dictionary<string, object?>
                {
                    ["name"] = $"Site {n}",
                    ["parent"] = n == 1 ? null : "site-1",
                })).ToList(),
                cancellationToken);
            await context.Tables.UpsertAsync("terminals", rows, cancellationToken);
            await context.History.WriteAsync(HistoryPoints.FromRows(Terminals, rows, now), cancellationToken);
            // svc-1's bandwidth changes every poll, so its change log has a Created and then Updated entries.
            await context.Objects.UpsertAsync("services",
            [
                new ObjectRecord("svc-1", new Dictionary<string, object?> { ["name"] = "Backhaul", ["bandwidth"] = 100.0 * k }),
                new ObjectRecord("svc-2", new Dictionary<string, object?> { ["name"] = "Crew Wi-Fi", ["bandwidth"] = 20.0 }),
            ], cancellationToken);
        }

        public Task<CommandResult> ExecuteCommandAsync(string command, CancellationToken cancellationToken) =>
            Task.FromResult(new CommandResult(true, "Authenticated again."));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
