using Microsoft.Extensions.Options;

namespace Satmon.Dashboard;

/// <summary>Dashboard settings (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>
    /// Leaflet tile URL template, e.g. <c>https://tile.openstreetmap.org/{z}/{x}/{y}.png</c>, for installs with
    /// internet. Default empty: the map draws the embedded Natural Earth outline only and needs no network.
    /// </summary>
    public string? MapTileUrl { get; set; }

    /// <summary>Attribution shown with the tiles (required by most tile servers). Default empty.</summary>
    public string? MapTileAttribution { get; set; }

    /// <summary>Rows per page of table views when the URL does not say. Default 50; 1 to 1000.</summary>
    public int TablePageSize { get; set; } = 50;
}

/// <summary>Checks <see cref="DashboardOptions"/> at start, naming the key to fix.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.MapTileUrl)
            && !(options.MapTileUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || options.MapTileUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                 || options.MapTileUrl.StartsWith('/')))
        {
            errors.Add($"Dashboard:MapTileUrl must be an http(s) URL template with {{z}}/{{x}}/{{y}} (or a local path); got '{options.MapTileUrl}'.");
        }

        if (options.TablePageSize is < 1 or > 1000)
        {
            errors.Add($"Dashboard:TablePageSize must be between 1 and 1000 rows; got {options.TablePageSize}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
