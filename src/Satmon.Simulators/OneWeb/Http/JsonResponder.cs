using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Satmon.Simulators.OneWeb.Faults;
using Satmon.Simulators.OneWeb.Wire;

namespace Satmon.Simulators.OneWeb.Http;

/// <summary>One page of a list call: <c>offset</c> (0-based) and <c>limit</c> (capped at the maximum page).</summary>
internal readonly record struct Page(int Offset, int Limit)
{
    public int ResultCount(int total) => Math.Clamp(total - Offset, 0, Limit);
}

/// <summary>
/// Writes every JSON answer of the simulator: TMF paging headers, <c>fields=</c> selection and the field faults
/// (renamed / dropped properties). Lists are streamed item by item so a page of 20 000 terminals never
/// becomes one big string.
/// </summary>
internal sealed class JsonResponder(OneWebSimulatorOptions options, OneWebFaults faults)
{
    private const string JsonContentType = "application/json;charset=utf-8";
    private const int ItemsPerFlush = 256;

    /// <summary>Reads offset/limit; on a bad value writes a 400 and returns null.</summary>
    public async Task<Page?> ReadPageAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var offset = 0;
        var limit = options.DefaultPageSize;
        if ((query.TryGetValue("offset", out var o) && !int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            || (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1)))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Bad Request", "offset must be an integer >= 0 and limit an integer >= 1.");
            return null;
        }

        // The maximum page caps the default page too, so a test can shrink pages with one setting.
        return new Page(offset, Math.Min(limit, options.MaxPageSize));
    }

    public async Task WriteListAsync<T>(
        HttpContext context, int total, Page page, IEnumerable<T> pageItems, JsonTypeInfo<T> typeInfo)
    {
        var resultCount = page.ResultCount(total);
        context.Response.StatusCode = options.PartialContentWhenTruncated && resultCount < total
            ? StatusCodes.Status206PartialContent
            : StatusCodes.Status200OK;
        context.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Result-Count"] = resultCount.ToString(CultureInfo.InvariantCulture);
        await WriteBodyAsync(context, typeInfo, pageItems, isList: true);
    }

    public Task WriteObjectAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = statusCode;
        return WriteBodyAsync(context, typeInfo, [value], isList: false);
    }

    /// <summary>TMF error body (reference §4.1); never subject to body faults.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string reason, string message)
    {
        var status = statusCode.ToString(CultureInfo.InvariantCulture);
        return WritePlainAsync(context, statusCode, new ErrorWire(status, reason, message, status), OneWebJsonContext.Default.ErrorWire);
    }

    /// <summary>Short gateway body, as MuleSoft answers 401/403/429.</summary>
    public static Task WriteGatewayErrorAsync(HttpContext context, int statusCode, string error) =>
        WritePlainAsync(context, statusCode, new GatewayErrorWire(error), OneWebJsonContext.Default.GatewayErrorWire);

    private static async Task WritePlainAsync<T>(HttpContext context, int statusCode, T body, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, body, typeInfo, context.RequestAborted);
    }

    private async Task WriteBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, IEnumerable<T> items, bool isList)
    {
        context.Response.ContentType = JsonContentType;
        var path = context.Request.Path;
        var edits = path.StartsWithSegments(OneWebSimulator.AdminPrefix, StringComparison.OrdinalIgnoreCase)
            ? null
            : faults.TakeFieldEdits(path.Value ?? "/");
        var shape = new Shape(ReadFields(context), edits);
        var ct = context.RequestAborted;
        var pipe = context.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(pipe);
        if (isList)
        {
            json.WriteStartArray();
        }

        var n = 0;
        foreach (var item in items)
        {
            WriteItem(json, item, typeInfo, shape);
            if (++n % ItemsPerFlush == 0)
            {
                json.Flush();
                await pipe.FlushAsync(ct);
            }
        }

        if (isList)
        {
            json.WriteEndArray();
        }

        json.Flush();
        await pipe.FlushAsync(ct);
    }

    private static void WriteItem<T>(Utf8JsonWriter writer, T item, JsonTypeInfo<T> typeInfo, Shape shape)
    {
        if (shape.Fields is null && shape.Edits is null)
        {
            JsonSerializer.Serialize(writer, item, typeInfo);
            return;
        }

        WriteShaped(writer, JsonSerializer.SerializeToElement(item, typeInfo), shape, topLevel: true);
    }

    private static void WriteShaped(Utf8JsonWriter writer, JsonElement element, Shape shape, bool topLevel)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    // fields= selects first-level attributes only and always keeps id (TMF630).
                    if (topLevel && shape.Fields is not null && property.Name != "id" && !shape.Fields.Contains(property.Name))
                    {
                        continue;
                    }

                    var name = property.Name;
                    if (shape.Edits is not null && shape.Edits.TryGetValue(name, out var renamed))
                    {
                        if (renamed is null)
                        {
                            continue;
                        }

                        name = renamed;
                    }

                    writer.WritePropertyName(name);
                    WriteShaped(writer, property.Value, shape, topLevel: false);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var child in element.EnumerateArray())
                {
                    WriteShaped(writer, child, shape, topLevel: false);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private HashSet<string>? ReadFields(HttpContext context)
    {
        if (!options.HonourFieldsParameter || !context.Request.Query.TryGetValue("fields", out var values))
        {
            return null;
        }

        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                fields.Add(name);
            }
        }

        return fields.Count == 0 ? null : fields;
    }

    private sealed record Shape(HashSet<string>? Fields, IReadOnlyDictionary<string, string?>? Edits);
}
