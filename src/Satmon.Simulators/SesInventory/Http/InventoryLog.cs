using Microsoft.Extensions.Logging;

namespace Satmon.Simulators.SesInventory.Http;

internal static partial class InventoryLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "SES inventory simulator listening on {BaseAddress} ({Services} services, {Carriers} carriers, {Resources} resources, seed {Seed})")]
    public static partial void Started(ILogger logger, Uri baseAddress, int services, int carriers, int resources, int seed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Injected {Kind} fault on {Entity} page {Page}: {StatusCode}")]
    public static partial void FaultInjected(ILogger logger, string kind, InventoryEntity entity, int? page, int statusCode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Refused {Api} call to {Path}: missing or wrong Basic credentials")]
    public static partial void Unauthorized(ILogger logger, InventoryApi api, string path);
}
