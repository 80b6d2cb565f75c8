using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;

namespace Satmon.Cli;

/// <summary><c>satmon simulate [--port N]</c>: the three vendor simulators alone, for a real install to be tried against.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "First port on 127.0.0.1 (mPOWER N, OneWeb N+1, Inventory N+2).", DefaultValueFactory = _ => 5081 };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65533)
            {
                r.AddError("--port must be between 0 and 65533.");
            }
        });
        var command = new Command("simulate", "Run the SES mPOWER, OneWeb and SES Inventory simulators on loopback.") { port };
        command.SetAction((parse, ct) => SatmonCli.GuardAsync(parse, async () =>
        {
            await using var simulators = await DemoSimulators.StartAsync(parse.GetValue(port), TimeProvider.System, NullLoggerFactory.Instance, ct);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync("Simulators running (Ctrl+C stops them):");
            foreach (var line in simulators.Describe())
            {
                await output.WriteLineAsync("  " + line);
            }

            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: fall through to dispose.
            }

            return 0;
        }));
        return command;
    }
}
