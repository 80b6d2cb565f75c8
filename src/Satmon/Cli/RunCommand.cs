using System.CommandLine;
using Satmon.Hosting;

namespace Satmon.Cli;

/// <summary><c>satmon run</c>: the service. Extra <c>--Key=Value</c> arguments go to configuration.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the Satmon service. Configuration: satmon.json, SATMON_ environment variables, --Key=Value arguments.")
        {
            // Unknown tokens are configuration overrides such as --Storage:Provider=sqlite, not errors.
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, ct) => SatmonCli.GuardAsync(parse, async () =>
        {
            await using var app = SatmonApp.Build([.. parse.UnmatchedTokens]);
            SatmonApp.MapSatmon(app);
            await app.RunAsync(ct);
            return 0;
        }));
        return command;
    }
}
