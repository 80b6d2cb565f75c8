using System.CommandLine;
using Satmon.Auth;
using Satmon.Core.Storage;
using Satmon.Hosting;

namespace Satmon.Cli;

/// <summary><c>satmon apikey create --role viewer|operator --name NAME [--data DIR]</c>: prints a new key once.</summary>
internal static class ApiKeyCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = "viewer (read) or operator (read, commands, settings).", Required = true };
        role.AcceptOnlyFromAmong(AuthSetup.ViewerRole, AuthSetup.OperatorRole);
        var name = new Option<string>("--name") { Description = "Who or what the key is for.", Required = true };
        var data = new Option<string?>("--data") { Description = "Data folder (default: DataDirectory from configuration, ./satmon-data)." };
        var create = new Command("create", "Create an API key and print it (only its hash is stored).") { role, name, data };
        create.SetAction((parse, ct) => SatmonCli.GuardAsync(parse, async () =>
        {
            var args = new List<string> { "--Logging:LogLevel:Default=Warning" };
            if (parse.GetValue(data) is { Length: > 0 } folder)
            {
                args.Add($"--DataDirectory={folder}");
            }

            await using var app = SatmonApp.Build([.. args]);
            await app.Services.GetRequiredService<ISatmonStore>().MigrateAsync(ct);
            var keyRole = parse.GetRequiredValue(role) == AuthSetup.OperatorRole ? ApiKeyRole.Operator : ApiKeyRole.Viewer;
            var (record, key) = await app.Services.GetRequiredService<ApiKeyService>().CreateAsync(parse.GetRequiredValue(name), keyRole, ct);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"Created {AuthSetup.RoleName(record.Role)} key '{record.Name}' (id {record.Id}). It is shown only now:");
            await output.WriteLineAsync(key);
            return 0;
        }));
        return new Command("apikey", "Manage API keys.") { create };
    }
}
