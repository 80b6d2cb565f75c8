using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Satmon.Simulators.SesMpower;
using Satmon.Tests.Support;

namespace Satmon.Tests;

/// <summary>
/// Three <c>satmon run</c> processes on one PostgreSQL database, polling a real mPOWER simulator on the system clock:
/// the elements spread over the nodes, a killed node's element resumes on a survivor after its lease runs out, and
/// its history has every sample once.
/// </summary>
public sealed class MultiNodeTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeNodes_ShareTheElements_KilledNodesElementResumesElsewhere_HistoryHasNoDuplicateAndNoHole()
    {
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        using var folder = new TempFolder();
        await using var simulator = new SesMpowerSimulator(
            new SesMpowerSimulatorOptions { TerminalCount = 3, SampleInterval = SampleInterval, SilentTerminalPercent = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
        await simulator.StartAsync(Ct);

        var environment = new Dictionary<string, string>
        {
            ["SATMON_Storage__Provider"] = "postgres",
            ["SATMON_Storage__ConnectionString"] = database.ConnectionString,
            // Secrets set through one node are read by the others: they share the key ring.
            ["SATMON_DataProtection__KeyDirectory"] = Path.Combine(folder.Path, "keys"),
            ["SATMON_Cluster__LeaseDuration"] = Lease.ToString(),
            ["SATMON_Cluster__RenewInterval"] = "00:00:01",
            ["SATMON_Cluster__RequestInterval"] = "00:00:00.250",
            ["SATMON_DataDirectory"] = Path.Combine(folder.Path, "cli"),
        };
        var key = (await NodeProcess.RunAsync(environment, Ct, "apikey", "create", "--role", "operator", "--name", "multi-node test"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();

        var nodes = new List<NodeProcess>();
        var clients = new List<HttpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var env = new Dictionary<string, string>(environment)
                {
                    ["SATMON_Cluster__NodeId"] = $"node-{i}",
                    ["SATMON_DataDirectory"] = Path.Combine(folder.Path, $"node-{i}"),
                };
                nodes.Add(NodeProcess.Start(env, "run", "--urls=http://127.0.0.1:0"));
            }

            foreach (var node in nodes)
            {
                var client = new HttpClient { BaseAddress = await node.WaitForAddressAsync(), Timeout = TimeSpan.FromSeconds(30) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                clients.Add(client);
            }

            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                ids.Add(await CreateElementAsync(clients[0], $"mPOWER {i}", simulator));
            }

            // Spread: each node ends up with one element (node 0 took all three at creation and hands two back).
            await Eventually.TrueAsync(async () =>
            {
                var leases = await LiveLeasesAsync(clients[1]);
                return leases.Count == 3 && leases.Values.Distinct().Count() == 3;
            }, $"the elements did not spread over the three nodes: {await ClusterAsync(clients[1])}", TimeSpan.FromSeconds(60));

            // Every node's API serves every element, whichever node polls it.
            foreach (var id in ids)
            {
                await Eventually.TrueAsync(async () => await TotalAsync(clients[2], $"/api/elements/{id}/tables/terminals?limit=1") == 3,
                    $"element {id} did not fill its terminal table", TimeSpan.FromSeconds(60));
            }

            var before = await LiveLeasesAsync(clients[0]);
            var (victimElement, victimNode) = before.First(l => l.Value != "node-0");
            var victim = int.Parse(victimNode["node-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var epochBefore = await EpochAsync(clients[0], victimElement);
            await nodes[victim].KillAsync();
            var killedAt = TimeProvider.System.GetUtcNow();

            string? survivor = null;
            await Eventually.TrueAsync(async () =>
            {
                survivor = (await LiveLeasesAsync(clients[0])).GetValueOrDefault(victimElement);
                return survivor is not null && survivor != victimNode;
            }, $"element {victimElement} was not taken over after {victimNode} was killed: {await ClusterAsync(clients[0])}", TimeSpan.FromSeconds(30));
            var tookOver = TimeProvider.System.GetUtcNow() - killedAt;
            // Lease plus one renewal round, with slack for a loaded machine: far below "never".
            Assert.True(tookOver < Lease + TimeSpan.FromSeconds(10), $"take-over took {tookOver}");
            Assert.True(await EpochAsync(clients[0], victimElement) > epochBefore);

            // The survivor polls on: samples after the kill arrive, and the series from first to last has each second once.
            var (terminal, column) = await FirstSeriesAsync(clients[0], victimElement);
            JsonArray points = [];
            await Eventually.TrueAsync(async () =>
            {
                points = await HistoryAsync(clients[0], victimElement, terminal, column);
                return points.Count > 0 && DateTimeOffset.Parse(points[^1]!["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > killedAt + TimeSpan.FromSeconds(5);
            }, $"no samples of {victimElement} after the take-over", TimeSpan.FromSeconds(60));

            var times = points.Select(p => DateTimeOffset.Parse(p!["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(times.Count, times.Distinct().Count());
            var gaps = times.Zip(times.Skip(1), (a, b) => b - a).Where(d => d != SampleInterval).ToList();
            Assert.True(gaps.Count == 0, $"history of {victimElement}/{terminal}/{column} has holes: {string.Join(", ", gaps)} over {times.Count} points");

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{victimNode} killed; {victimElement} taken over by {survivor} after {tookOver.TotalSeconds:F1} s; {times.Count} samples from {times[0]:O} to {times[^1]:O}, none twice, none missing");

            // The rollups agree: each raw point folded once, whichever node wrote it (a point written by two nodes
            // would be counted twice in its 5 min bucket). The survivor keeps writing, so raw and 5 min are compared
            // when one read of each falls between two writes (the 5 min total the same before and after the raw read).
            async Task<long> RollupCountAsync() =>
                (await HistoryAsync(clients[0], victimElement, terminal, column, "5m")).Sum(b => b!["count"]!.GetValue<long>());

            long rawCount = 0, rollupCount = 0;
            await Eventually.TrueAsync(async () =>
            {
                var before = await RollupCountAsync();
                rawCount = (await HistoryAsync(clients[0], victimElement, terminal, column)).Count;
                rollupCount = await RollupCountAsync();
                return before == rollupCount;
            }, "no raw read fell between two writes", TimeSpan.FromSeconds(30));
            Assert.Equal(rawCount, rollupCount);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task<string> CreateElementAsync(HttpClient client, string name, SesMpowerSimulator simulator)
    {
        using var response = await client.PostAsJsonAsync("/api/elements", new
        {
            name,
            connector = "ses-mpower",
            settings = new Dictionary<string, string>
            {
                ["baseUrl"] = simulator.BaseAddress.AbsoluteUri.TrimEnd('/'),
                ["tokenUrl"] = new Uri(simulator.BaseAddress, simulator.TokenPath).AbsoluteUri,
                ["clientId"] = simulator.Options.ClientId,
                ["username"] = simulator.Options.Username,
                ["password"] = simulator.Options.Password,
                ["pullIntervalSeconds"] = "10",
                ["initialHistorySeconds"] = "20",
            },
        }, Ct);
        var body = await Http.ReadObjectAsync(response, Ct);
        Assert.True(response.IsSuccessStatusCode, $"create failed: {(int)response.StatusCode} {body.ToJsonString()}");
        return body["id"]!.GetValue<string>();
    }

    private static async Task<string> ClusterAsync(HttpClient client) => (await client.GetObjectAsync("/api/cluster", Ct)).ToJsonString();

    private static async Task<Dictionary<string, string>> LiveLeasesAsync(HttpClient client) =>
        (await client.GetObjectAsync("/api/cluster", Ct))["leases"]!.AsArray()
            .Where(l => l!["live"]!.GetValue<bool>())
            .ToDictionary(l => l!["elementId"]!.GetValue<string>(), l => l!["nodeId"]!.GetValue<string>());

    private static async Task<long> EpochAsync(HttpClient client, string elementId) =>
        (await client.GetObjectAsync("/api/cluster", Ct))["leases"]!.AsArray()
            .Single(l => l!["elementId"]!.GetValue<string>() == elementId)!["epoch"]!.GetValue<long>();

    private static async Task<long> TotalAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, Ct);
        return response.IsSuccessStatusCode ? (await Http.ReadObjectAsync(response, Ct))["total"]!.GetValue<long>() : -1;
    }

    /// <summary>The first terminal and the first trended number column of the terminal table.</summary>
    private static async Task<(string Terminal, string Column)> FirstSeriesAsync(HttpClient client, string elementId)
    {
        var page = await client.GetObjectAsync($"/api/elements/{elementId}/tables/terminals?limit=1", Ct);
        var row = page["rows"]!.AsArray()[0]!;
        var connectors = await client.GetArrayAsync("/api/connectors", Ct);
        var table = connectors.Single(c => c!["id"]!.GetValue<string>() == "ses-mpower")!["tables"]!.AsArray()
            .Single(t => t!["name"]!.GetValue<string>() == "terminals")!;
        var column = table["columns"]!.AsArray().First(c => c!["trended"]!.GetValue<bool>())!["name"]!.GetValue<string>();
        return (row["key"]!.GetValue<string>(), column);
    }

    private static async Task<JsonArray> HistoryAsync(HttpClient client, string elementId, string key, string column, string resolution = "raw")
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UnixEpoch.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var body = await client.GetObjectAsync(
            $"/api/elements/{elementId}/history?table=terminals&key={Uri.EscapeDataString(key)}&column={column}&from={from}&to={to}&resolution={resolution}", Ct);
        return body["points"]!.AsArray();
    }
}
