using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Api;

/// <summary>Streams a whole table as RFC 4180 CSV without holding it in memory.</summary>
internal static class CsvExport
{
    public static async Task<PushStreamHttpResult> ExportAsync(string id, string table, IElementManager elements, ISatmonStore store, CancellationToken ct)
    {
        // Resolve before streaming starts, so an unknown element or table still gets a 404 problem, not a cut-off body.
        var definition = (await elements.ConnectorOfAsync(id, ct)).RequireTable(table);
        return TypedResults.Stream(
            stream => WriteAsync(stream, id, definition, store, ct),
            contentType: "text/csv; charset=utf-8",
            fileDownloadName: $"{id}-{definition.Name}.csv");
    }

    private static async Task WriteAsync(Stream stream, string elementId, TableDefinition table, ISatmonStore store, CancellationToken ct)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        writer.NewLine = "\r\n";
        await writer.WriteLineAsync(string.Join(',', new[] { QueryParser.KeyColumn }.Concat(table.Columns.Select(c => c.Name)).Select(Quote)));
        var line = new StringBuilder();
        await foreach (var row in store.Tables.ReadAllAsync(elementId, table.Name, ct))
        {
            line.Clear().Append(Quote(row.Key));
            foreach (var column in table.Columns)
            {
                line.Append(',').Append(Quote(Format(row.Values.GetValueOrDefault(column.Name))));
            }

            await writer.WriteLineAsync(line, ct);
        }

        await writer.FlushAsync(ct);
    }

    public static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>RFC 4180: a field holding a comma, quote or line break is quoted, with quotes doubled.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
