using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Satmon.Simulators.SesInventory.Wire;

namespace Satmon.Simulators.SesInventory.Http;

/// <summary>
/// Writes the simulator's answers: pages (bare array or <c>{"result": [...]}</c>, count headers, 206, <c>fields</c>
/// selection, cut bodies) and error bodies in the configured shape. A page is serialised once into a pooled buffer
/// with the source-generated context, so Content-Length is exact and a cut body is still a complete HTTP response.
/// </summary>
internal sealed class InventoryResponses(SesInventorySimulatorOptions options)
{
    private const string JsonContentType = "application/json;charset=utf-8";

    public async Task WritePageAsync<T>(
        HttpContext context, ListQuery query, int total, IReadOnlyList<T> items, JsonTypeInfo<T> typeInfo, bool malformed)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, items.Count * 1024));
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            if (options.WrapInResult)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("result");
            }

            writer.WriteStartArray();
            foreach (var item in items)
            {
                WriteItem(writer, item, typeInfo, query.Fields);
            }

            writer.WriteEndArray();
            if (options.WrapInResult)
            {
                writer.WriteEndObject();
            }
        }

        var response = context.Response;
        var tmf = query.Flavour == PagingFlavour.Tmf;

        // TMF reference implementation: 206 when the page holds only part of what matches.
        response.StatusCode = tmf && items.Count > 0 && items.Count < total ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        if (tmf || options.GatewayCountHeaders)
        {
            response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-Result-Count"] = items.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (tmf && query.Offset + items.Count < total)
        {
            var next = QueryString.Create(context.Request.Query
                .Where(p => p.Key is not ("offset" or "limit"))
                .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
                .Append(new("offset", (query.Offset + items.Count).ToString(CultureInfo.InvariantCulture)))
                .Append(new("limit", query.PageSize.ToString(CultureInfo.InvariantCulture))));
            response.Headers.Link = $"<{context.Request.Path}{next}>; rel=\"next\"";
        }

        await WriteBytesAsync(context, buffer.WrittenMemory, malformed);
    }

    public async Task WriteObjectAsync<T>(HttpContext context, T item, JsonTypeInfo<T> typeInfo, IReadOnlyList<string>? fields, bool malformed)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteItem(writer, item, typeInfo, fields);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await WriteBytesAsync(context, buffer.WrittenMemory, malformed);
    }

    /// <summary>An error in the configured shape (reference §8.7); 401 adds the Basic challenge.</summary>
    public Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        var reason = ReasonOf(statusCode);
        if (statusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"Service-now\"";

            // The exact ServiceNow 401 body (reference §5.3, KB0719167).
            reason = "User Not Authenticated";
            message = "Required to provide Auth information";
        }

        var code = statusCode.ToString(CultureInfo.InvariantCulture);
        switch (options.ErrorFormat)
        {
            case InventoryErrorFormat.Tmf:
                response.ContentType = JsonContentType;
                return JsonSerializer.SerializeAsync(response.Body, new TmfErrorWire(code, reason, message, code), InventoryJsonContext.Default.TmfErrorWire, context.RequestAborted);
            case InventoryErrorFormat.Html:
                response.ContentType = "text/html;charset=utf-8";
                return response.WriteAsync($"<html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1></body></html>", Encoding.UTF8, context.RequestAborted);
            default:
                response.ContentType = JsonContentType;
                return JsonSerializer.SerializeAsync(
                    response.Body, new ServiceNowErrorWire(new ServiceNowErrorDetail(reason, message), "failure"), InventoryJsonContext.Default.ServiceNowErrorWire, context.RequestAborted);
        }
    }

    private static void WriteItem<T>(Utf8JsonWriter writer, T item, JsonTypeInfo<T> typeInfo, IReadOnlyList<string>? fields)
    {
        if (fields is null)
        {
            JsonSerializer.Serialize(writer, item, typeInfo);
            return;
        }

        // Attribute selection on first-level properties; id and href always stay (TMF630).
        using var document = JsonSerializer.SerializeToDocument(item, typeInfo);
        writer.WriteStartObject();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name is "id" or "href" || fields.Contains(property.Name, StringComparer.Ordinal))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static async Task WriteBytesAsync(HttpContext context, ReadOnlyMemory<byte> body, bool malformed)
    {
        // A cut body keeps a matching Content-Length: the client gets a whole HTTP response with broken JSON.
        var length = malformed ? body.Length / 2 : body.Length;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = length;
        await context.Response.Body.WriteAsync(body[..length], context.RequestAborted);
    }

    private static string ReasonOf(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
}
