using System.Collections.Concurrent;
using Satmon.Core.Connectors;
using Satmon.Core.Settings;
using Satmon.Core.Tables;

namespace Satmon.Core.Tests.Support;

/// <summary>
/// A connector whose polls do what the test scripts: count runs, fail, ask to retry later, or block until released.
/// </summary>
internal sealed class ScriptedConnector : IConnector
{
    public const string Id = "scripted";

    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> _behaviour = new();
    private readonly ConcurrentDictionary<string, int> _runs = new();
    private readonly ConcurrentDictionary<string, int> _concurrent = new();

    public ScriptedConnector(params PollTaskDefinition[] tasks)
    {
        Descriptor = new ConnectorDescriptor(
            Id,
            "Scripted test connector",
            [
                new SettingDefinition("baseUrl", "Base URL", SettingType.Url, "Where the vendor is.") { Required = true },
                new SettingDefinition("password", "Password", SettingType.String, "Login password.") { Required = true, Secret = true },
                new SettingDefinition("pullIntervalSeconds", "Pull interval", SettingType.DurationSeconds, "Seconds between pulls.")
                {
                    Default = "300", Minimum = 10,
                },
            ],
            tasks,
            [new TableDefinition("things", "Things", "Id", [new ColumnDefinition("value", ColumnType.Number, "ms", Trended: true)])],
            [],
            [new CommandDefinition("authenticate", "Log in now.")]);
    }

    public ConnectorDescriptor Descriptor { get; }

    /// <summary>The context each started runtime received (tests check settings and state through it).</summary>
    public ConcurrentQueue<IElementContext> Contexts { get; } = new();

    public Func<CancellationToken, Task>? OnStart { get; set; }

    public int MaxConcurrentRuns { get; private set; }

    public int Runs(string task) => _runs.GetValueOrDefault(task);

    public void Script(string task, Func<CancellationToken, Task> behaviour) => _behaviour[task] = behaviour;

    public IElementRuntime CreateRuntime(IElementContext context)
    {
        Contexts.Enqueue(context);
        return new Runtime(this);
    }

    private sealed class Runtime(ScriptedConnector owner) : IElementRuntime
    {
        public Task StartAsync(CancellationToken cancellationToken) => owner.OnStart?.Invoke(cancellationToken) ?? Task.CompletedTask;

        public async Task PollAsync(string task, CancellationToken cancellationToken)
        {
            var now = owner._concurrent.AddOrUpdate(task, 1, (_, n) => n + 1);
            owner.MaxConcurrentRuns = Math.Max(owner.MaxConcurrentRuns, now);
            try
            {
                owner._runs.AddOrUpdate(task, 1, (_, n) => n + 1);
                if (owner._behaviour.TryGetValue(task, out var behaviour))
                {
                    await behaviour(cancellationToken);
                }
            }
            finally
            {
                owner._concurrent.AddOrUpdate(task, 0, (_, n) => n - 1);
            }
        }

        public Task<CommandResult> ExecuteCommandAsync(string command, CancellationToken cancellationToken) =>
            Task.FromResult(new CommandResult(true, "ok"));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
