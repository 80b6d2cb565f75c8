using Satmon.Core.Connectors;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Settings;
using Satmon.Core.Tables;

namespace Satmon.Tests.Support;

/// <summary>
/// A small connector that lives in the tests: settings with a secret, a task that depends on another, two tables that
/// reference each other, a trended column, an object definition and a command. Its data poll writes rows and history
/// at the poll time; the value of thing-N after the k-th data poll is 10·N + k.
/// </summary>
public sealed class TestConnector : IConnector
{
    public const string Id = "test";

    public static readonly TableDefinition Things = new("things", "Things", "Thing id",
    [
        new ColumnDefinition("name", ColumnType.String),
        new ColumnDefinition("status", ColumnType.Enum),
        new ColumnDefinition("value", ColumnType.Number, Unit: "ms", Trended: true),
        new ColumnDefinition("groupId", ColumnType.String, References: "groups"),
        new ColumnDefinition("latitude", ColumnType.Number),
        new ColumnDefinition("longitude", ColumnType.Number),
        new ColumnDefinition("lastSeen", ColumnType.Timestamp),
    ])
    {
        Fleet = new FleetMapping("Test Operator")
        {
            NameColumn = "name",
            StatusColumn = "status",
            LatitudeColumn = "latitude",
            LongitudeColumn = "longitude",
            LatencyColumn = "value",
            LastSeenColumn = "lastSeen",
        },
    };

    public static readonly TableDefinition Groups = new("groups", "Groups", "Group id", [new ColumnDefinition("name", ColumnType.String)]);

    public static readonly ObjectDefinition Gadgets = new("gadgets", "Gadgets",
        [new FieldDefinition("name", FieldType.String), new FieldDefinition("weight", FieldType.Number)]);

    public ConnectorDescriptor Descriptor { get; } = new(
        Id,
        "Test connector",
        [
            new SettingDefinition("baseUrl", "Base URL", SettingType.Url, "Where the fake vendor lives.") { Required = true },
            new SettingDefinition("token", "Token", SettingType.String, "API token.") { Required = true, Secret = true },
            new SettingDefinition("intervalSeconds", "Data interval", SettingType.DurationSeconds, "Seconds between data polls.")
            {
                Default = "300", Minimum = 10, Maximum = 86400,
            },
        ],
        [
            new PollTaskDefinition("hello", "Checks the token.", TimeSpan.FromHours(1)),
            new PollTaskDefinition("data", "Reads the things.", TimeSpan.FromMinutes(5), DependsOn: "hello") { IntervalSettingKey = "intervalSeconds" },
        ],
        [Things, Groups],
        [Gadgets],
        [
            new CommandDefinition("authenticate", "Checks the token again."),
            new CommandDefinition("explode", "Throws an unexpected exception (tests the 500 answer)."),
        ]);

    public IElementRuntime CreateRuntime(IElementContext context) => new Runtime(context);

    private sealed class Runtime(IElementContext context) : IElementRuntime
    {
        private int _dataPolls;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task PollAsync(string task, CancellationToken cancellationToken)
        {
            if (task == "hello")
            {
                if (context.Settings.GetRequiredString("token") == "reject")
                {
                    throw new AuthenticationFailedException("The vendor refused the token.");
                }

                return;
            }

            var k = Interlocked.Increment(ref _dataPolls);
            var now = context.Time.GetUtcNow();
            var things = Enumerable.Range(1, 3).Select(n => new TableRow($"thing-{n}", new Dictionary<string, object?>
            {
                ["name"] = $"Thing {n}",
                ["status"] = n == 3 ? "offline" : "online",
                ["value"] = 10.0 * n + k,
                ["groupId"] = n == 3 ? "g2" : "g1",
                ["latitude"] = 50.0 + n,
                ["longitude"] = 6.0 + n,
                ["lastSeen"] = now,
            })).ToList();
            await context.Tables.UpsertAsync("groups",
            [
                new TableRow("g1", new Dictionary<string, object?> { ["name"] = "Group, \"one\"" }),
                new TableRow("g2", new Dictionary<string, object?> { ["name"] = "Group two" }),
            ], cancellationToken);
            await context.Tables.UpsertAsync("things", things, cancellationToken);
            await context.History.WriteAsync(HistoryPoints.FromRows(Things, things, now), cancellationToken);
            await context.Objects.UpsertAsync("gadgets",
            [
                new ObjectRecord("gadget-1", new Dictionary<string, object?> { ["name"] = "Sprocket", ["weight"] = 1.0 * k }),
                new ObjectRecord("gadget-2", new Dictionary<string, object?> { ["name"] = "Widget", ["weight"] = 2.0 }),
            ], cancellationToken);
        }

        public Task<CommandResult> ExecuteCommandAsync(string command, CancellationToken cancellationToken) => command == "explode"
            ? throw new InvalidOperationException("Internal detail that must not reach the client: " + context.Settings.GetRequiredString("token"))
            : Task.FromResult(new CommandResult(true, "Authenticated."));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
