using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Satmon.Connectors.SesMpower;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Polling;
using Satmon.Core.Tables;
using Satmon.Simulators.SesMpower;

namespace Satmon.Connectors.Tests.Support;

/// <summary>
/// One test's world: the mPOWER simulator on 127.0.0.1:0 and an element manager on a real SQLite file, sharing one
/// fake clock; plus a log of the token grants the connector's HTTP client actually sent.
/// </summary>
internal sealed class MpowerTestBed : IAsyncDisposable
{
    /// <summary>The clock at the start of every test (on a sample boundary).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly List<ElementHarness> _extraHarnesses = [];

    private MpowerTestBed(FakeTimeProvider time, SesMpowerSimulator simulator, ElementHarness harness, ConcurrentQueue<string> grants)
    {
        Time = time;
        Simulator = simulator;
        Harness = harness;
        Grants = grants;
    }

    public FakeTimeProvider Time { get; }

    public SesMpowerSimulator Simulator { get; }

    public ElementHarness Harness { get; private set; }

    /// <summary>grant_type of every token request the connector sent, in order.</summary>
    public ConcurrentQueue<string> Grants { get; }

    public ElementManager Manager => Harness.Manager;

    public static async Task<MpowerTestBed> CreateAsync(Action<SesMpowerSimulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(Start);
        var options = new SesMpowerSimulatorOptions { TerminalCount = 20, SampleInterval = TimeSpan.FromMinutes(5), Seed = 7 };
        configure?.Invoke(options);
        var simulator = new SesMpowerSimulator(options, time);
        await simulator.StartAsync(CancellationToken.None);
        var grants = new ConcurrentQueue<string>();
        var harness = await ElementHarness.CreateAsync(time, configure: services => Observe(services, grants));
        return new MpowerTestBed(time, simulator, harness, grants);
    }

    /// <summary>Settings pointing at the simulator, with overrides (e.g. page size).</summary>
    public Dictionary<string, string?> Settings(params (string Key, object Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            [SesMpowerSettingKeys.BaseUrl] = Simulator.BaseAddress.ToString().TrimEnd('/'),
            [SesMpowerSettingKeys.TokenUrl] = new Uri(Simulator.BaseAddress, Simulator.TokenPath).ToString(),
            [SesMpowerSettingKeys.ClientId] = Simulator.Options.ClientId,
            [SesMpowerSettingKeys.Username] = Simulator.Options.Username,
            [SesMpowerSettingKeys.Password] = Simulator.Options.Password,
            [SesMpowerSettingKeys.PageSize] = "50",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        return settings;
    }

    public Task<string> CreateElementAsync(params (string Key, object Value)[] overrides) => CreateElementAsync(Harness, "mPOWER", overrides);

    public Task<string> CreateElementAsync(ElementHarness harness, string name, params (string Key, object Value)[] overrides) =>
        harness.CreateElementAsync(name, SesMpowerConnector.ConnectorId, Settings(overrides));

    /// <summary>A second element manager on its own database, same clock and simulator.</summary>
    public async Task<ElementHarness> CreateSecondHarnessAsync()
    {
        var harness = await ElementHarness.CreateAsync(Time, configure: services => Observe(services, Grants));
        _extraHarnesses.Add(harness);
        return harness;
    }

    /// <summary>Stops the manager, reopens the same database with a new one and starts its elements (a process restart).</summary>
    public async Task RestartAsync(string elementId)
    {
        await Harness.CloseAsync();
        var folder = Harness.Folder;
        Harness = await ElementHarness.CreateAsync(Time, folder, services => Observe(services, Grants));
        _extraHarnesses.Add(Harness);
        await Harness.Manager.StartAllAsync(CancellationToken.None);
        await Harness.Manager.WhenIdleAsync(elementId);
    }

    /// <summary>Advances the clock in steps (each step's due polls finish before the next).</summary>
    public async Task AdvanceAsync(string elementId, TimeSpan step, int steps = 1, ElementHarness? harness = null)
    {
        for (var i = 0; i < steps; i++)
        {
            await (harness ?? Harness).AdvanceAsync(elementId, step);
        }
    }

    public async Task<PollTaskState> TaskStateAsync(string elementId, string task, ElementHarness? harness = null) =>
        (await (harness ?? Harness).Manager.GetPollingAsync(elementId, CancellationToken.None)).Single(t => t.Name == task).State;

    public async Task<IReadOnlyDictionary<string, object?>> GeneralAsync(string elementId, ElementHarness? harness = null) =>
        (await (harness ?? Harness).Store.Tables.GetAsync(elementId, MpowerTables.General, MpowerTables.GeneralKey, CancellationToken.None))!.Values;

    public async Task<List<TableRow>> TerminalsAsync(string elementId, ElementHarness? harness = null)
    {
        var rows = new List<TableRow>();
        await foreach (var row in (harness ?? Harness).Store.Tables.ReadAllAsync(elementId, MpowerTables.Terminals, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<IReadOnlyList<HistorySample>> HistoryAsync(
        string elementId, string key, string column, DateTimeOffset from, DateTimeOffset to, ElementHarness? harness = null) =>
        (await (harness ?? Harness).Store.History.QueryAsync(
            elementId, new HistoryQuery(MpowerTables.Terminals, key, column, from, to, Resolution.Raw), CancellationToken.None)).Raw;

    /// <summary>Requests the simulator answered on paths starting with <paramref name="path"/>, optionally one method.</summary>
    public int Requests(string path, string? method = null, int? status = null) =>
        Simulator.Requests.Recent.Count(r =>
            r.Path.StartsWith(path, StringComparison.Ordinal)
            && (method is null || r.Method == method)
            && (status is null || r.StatusCode == status));

    public string SubscriptionPath => Simulator.StreamingManagementPath + "/subscription";

    public async ValueTask DisposeAsync()
    {
        foreach (var harness in _extraHarnesses)
        {
            await harness.CloseAsync();
        }

        await Harness.DisposeAsync();
        foreach (var harness in _extraHarnesses)
        {
            await harness.DisposeAsync();
        }

        await Simulator.DisposeAsync();
    }

    private static void Observe(IServiceCollection services, ConcurrentQueue<string> grants) =>
        services.AddHttpClient(SesMpowerConnector.HttpClientName).AddHttpMessageHandler(() => new GrantRecorder(grants));

    /// <summary>Notes the grant_type of token requests on their way out; passes everything through unchanged.</summary>
    private sealed class GrantRecorder(ConcurrentQueue<string> grants) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is FormUrlEncodedContent form)
            {
                var body = await form.ReadAsStringAsync(cancellationToken);
                var grant = body.Split('&').Select(p => p.Split('=')).FirstOrDefault(p => p[0] == "grant_type")?[1];
                grants.Enqueue(grant ?? "(none)");
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
