using System.CommandLine;
using Microsoft.Extensions.Options;
using Satmon.Core.Storage;

namespace Satmon.Cli;

/// <summary>The <c>satmon</c> command line: run, demo, simulate, apikey create.</summary>
public static class SatmonCli
{
    /// <summary>Exit code for a configuration error (the message names the key to fix).</summary>
    public const int ConfigurationErrorExitCode = 2;

    /// <summary>Exit code when the storage server cannot be reached at start (the message names server and cause).</summary>
    public const int StorageErrorExitCode = 3;

    public static RootCommand Create() => new("Satmon: satellite connectivity monitoring across operators.")
    {
        RunCommand.Create(),
        DemoCommand.Create(),
        SimulateCommand.Create(),
        ApiKeyCommand.Create(),
    };

    /// <summary>Runs a command body, turning a configuration error into one readable line and exit code 2.</summary>
    internal static async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OptionsValidationException ex)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("Configuration error: " + string.Join(" ", ex.Failures));
            return ConfigurationErrorExitCode;
        }
        catch (StorageUnavailableException ex)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("Storage error: " + ex.Message);
            return StorageErrorExitCode;
        }
    }
}
