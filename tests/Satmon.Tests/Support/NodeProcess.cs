using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Satmon.Tests.Support;

/// <summary>
/// A <c>satmon</c> command in its own process (the satmon.dll built beside the tests), configured through SATMON_
/// environment variables as an operator would, with its output captured.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static NodeProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "satmon.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var node = new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Runs a command to its end and returns its output.</summary>
    public static async Task<string> RunAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct, params string[] arguments)
    {
        await using var node = Start(environment, arguments);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await node._process.WaitForExitAsync(timeout.Token);
        Assert.True(node._process.ExitCode == 0, $"satmon {string.Join(' ', arguments)} exited with {node._process.ExitCode}: {node.Output}");
        return node.Output;
    }

    /// <summary>The address Kestrel reports once it listens.</summary>
    public async Task<Uri> WaitForAddressAsync()
    {
        await Eventually.TrueAsync(() => Task.FromResult(_process.HasExited || ListeningLine().IsMatch(Output)),
            "the node did not report an address", TimeSpan.FromSeconds(60));
        Assert.False(_process.HasExited, $"the node ended early: {Output}");
        return new Uri(ListeningLine().Match(Output).Groups[1].Value);
    }

    /// <summary>Ends the process at once, as a crash or <c>kill -9</c> would: no clean shutdown, no leases released.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
