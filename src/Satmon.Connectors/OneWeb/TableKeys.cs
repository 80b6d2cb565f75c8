using Satmon.Core.Connectors;
using Satmon.Core.Tables;

namespace Satmon.Connectors.OneWeb;

/// <summary>Reads the row keys of a stored table, page by page.</summary>
internal static class TableKeys
{
    private const int PageSize = 5_000;

    public static async Task<HashSet<string>> ReadAsync(IElementTables tables, string table, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await tables.QueryAsync(table, new TableQuery([], null, false, offset, PageSize), cancellationToken);
            foreach (var row in page.Rows)
            {
                keys.Add(row.Key);
            }

            if (page.Rows.Count < PageSize)
            {
                return keys;
            }
        }
    }
}
