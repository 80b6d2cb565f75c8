using Satmon.Cli;

return await SatmonCli.Create().Parse(args).InvokeAsync();
