using System.CommandLine;
using Satmon.Core.Elements;
using Satmon.Hosting;

namespace Satmon.Cli;

/// <summary>
/// <c>satmon demo [--port N] [--data DIR] [--api-key KEY]</c>: the service on 127.0.0.1 with an operator key,
/// plus the three vendor simulators and one element per connector pointed at them.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1.", DefaultValueFactory = _ => 5080 };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                r.AddError("--port must be between 0 and 65535.");
            }
        });
        var data = new Option<string>("--data") { Description = "Data folder.", DefaultValueFactory = _ => "./satmon-data" };
        var apiKey = new Option<string?>("--api-key") { Description = "Use this operator key instead of a generated one." };
        var command = new Command("demo", "Run Satmon on http://127.0.0.1:5080 with demo elements and print an operator key.") { port, data, apiKey };
        command.SetAction((parse, ct) => SatmonCli.GuardAsync(parse, async () =>
        {
            string[] args = ["--urls", $"http://127.0.0.1:{parse.GetValue(port)}", $"--DataDirectory={parse.GetValue(data)}"];
            await using var app = SatmonApp.Build(args);
            SatmonApp.MapSatmon(app);
            await app.StartAsync(ct);

            // The simulators share the service's clock and loggers, on free loopback ports.
            await using var simulators = await DemoSimulators.StartAsync(
                0, app.Services.GetRequiredService<TimeProvider>(), app.Services.GetRequiredService<ILoggerFactory>(), ct);
            var key = await DemoKeys.EnsureOperatorKeyAsync(app.Services, parse.GetValue(apiKey), ct);
            await DemoSetup.ConfigureAsync(app.Services.GetRequiredService<IElementManager>(), simulators, parse.InvocationConfiguration.Output, ct);

            var output = parse.InvocationConfiguration.Output;
            var url = app.Urls.FirstOrDefault() ?? $"http://127.0.0.1:{parse.GetValue(port)}";
            await output.WriteLineAsync($"Satmon demo is running. Dashboard: {url.TrimEnd('/')}/");
            await output.WriteLineAsync($"Operator API key: {key}");
            await output.WriteLineAsync($"Try: curl -H \"Authorization: Bearer {key}\" {url.TrimEnd('/')}/api/elements");
            await app.WaitForShutdownAsync(ct);
            return 0;
        }));
        return command;
    }
}
