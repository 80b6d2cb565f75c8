using Satmon.Core.Elements;
using Satmon.Core.Storage;

namespace Satmon.Hosting;

/// <summary>
/// Migrates the store, then starts every enabled element; stops them on shutdown. Registered before the web server,
/// so the schema exists before the first request.
/// </summary>
internal sealed partial class ElementHostService(ISatmonStore store, IElementManager elements, ILogger<ElementHostService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        LogMigrated(logger, store.Provider);
        await elements.StartAllAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => elements.StopAllAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage '{Provider}' is ready")]
    private static partial void LogMigrated(ILogger logger, string provider);
}
