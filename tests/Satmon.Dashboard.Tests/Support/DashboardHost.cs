using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Satmon.Auth;
using Satmon.Connectors;
using Satmon.Connectors.OneWeb;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;
using Satmon.Hosting;

[assembly: AssemblyFixture(typeof(Satmon.Dashboard.Tests.Support.DashboardHost))]
// One host and one fake clock serve every test: running them one after another keeps each test's clock moves its own.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace Satmon.Dashboard.Tests.Support;

/// <summary>
/// The real satmon host on Kestrel (127.0.0.1, port 0) over SQLite in a temp folder, with a fake clock, the dashboard
/// test connector, one element that has polled, a 100 000-row table written straight through the store, and a
/// headless Debian Chromium driven by Playwright.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const int BigRows = 100_000;

    public const string SecretPassword = "hunter2-initial-secret";

    public static readonly DateTimeOffset Start = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public FakeTimeProvider Time { get; } = new(Start);

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("satmon-dash-").FullName;

    public WebApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public string BaseAddress { get; private set; } = "";

    public string OperatorKey { get; private set; } = "";

    public string ViewerKey { get; private set; } = "";

    public string ElementId { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    public ElementManager Elements => (ElementManager)App.Services.GetRequiredService<IElementManager>();

    public ISatmonStore Store => App.Services.GetRequiredService<ISatmonStore>();

    /// <summary>Where page screenshots go: artifacts/screenshots at the repository root (CI keeps artifacts/).</summary>
    public static string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public TimeSpan SeedDuration { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}: install Debian's package with 'apt-get install -y chromium' (.ci/apt-packages lists it for CI).");
        }

        var ct = TestContext.Current.CancellationToken;
        _app = SatmonApp.Build(["--urls=http://127.0.0.1:0", $"--DataDirectory={DataDirectory}"], services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            services.AddSingleton<IConnector, DashboardConnector>();
            // The vendor connectors as they land: the dashboard's pages are generic over their descriptors.
            services.AddSesMpowerConnector().AddOneWebConnector().AddSesInventoryConnector();
            services.RemoveAll<ILoggerProvider>();
        });
        SatmonApp.MapSatmon(_app);
        await _app.StartAsync(ct);
        BaseAddress = _app.Urls.Single();

        var keys = _app.Services.GetRequiredService<ApiKeyService>();
        OperatorKey = (await keys.CreateAsync("dash operator", ApiKeyRole.Operator, ct)).Key;
        ViewerKey = (await keys.CreateAsync("dash viewer", ApiKeyRole.Viewer, ct)).Key;

        var element = await Elements.CreateAsync(new CreateElementRequest("Dash one", DashboardConnector.Id, new Dictionary<string, string?>
        {
            ["baseUrl"] = "https://vendor.example",
            ["password"] = SecretPassword,
        }), ct);
        ElementId = element.Id;
        await Elements.WhenIdleAsync(ElementId);
        // A few data polls, five minutes apart, give the trend several points.
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(5));
            await Elements.WhenIdleAsync(ElementId);
        }

        await SeedBigTableAsync(ct);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Containers run as root without user namespaces; Chromium's sandbox cannot start there.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A stopped element of the test connector (nothing polls, so the fleet is unchanged), made once.</summary>
    public async Task<string> EnsureStoppedElementAsync(string name, CancellationToken ct)
    {
        if ((await Elements.ListAsync(ct)).FirstOrDefault(e => e.Name == name) is { } existing)
        {
            return existing.Id;
        }

        var settings = new Dictionary<string, string?> { ["baseUrl"] = "https://vendor.example", ["password"] = SecretPassword };
        return (await Elements.CreateAsync(new CreateElementRequest(name, DashboardConnector.Id, settings, Start: false), ct)).Id;
    }

    /// <summary>A fresh browser context (own cookies) signed in with the given key, on the fleet page.</summary>
    public async Task<IPage> SignInAsync(string key)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        // An upper bound, not a wait: CI runs the test assemblies side by side with Chromium on two shared cores.
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/signin");
        await page.FillAsync("#apiKey", key);
        await page.ClickAsync("#signin-submit");
        // Signed in once the fleet page's document arrives; its map scripts need not have finished loading (the
        // tests that look at the map wait for it themselves).
        await page.WaitForURLAsync(BaseAddress + "/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task SeedBigTableAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        const int batch = 10_000;
        for (var start = 0; start < BigRows; start += batch)
        {
            var rows = Enumerable.Range(start, batch).Select(i => new TableRow($"row-{i:D6}", new Dictionary<string, object?>
            {
                ["name"] = $"Row {i}",
                // Spread so that sorting by value differs from key order: the largest value sits at row 77 777.
                ["value"] = i == 77_777 ? 1e9 : (i * 7919 % BigRows) * 1.0,
                ["site"] = $"site-{(i % 3) + 1}",
            })).ToList();
            await Store.Tables.UpsertAsync(ElementId, DashboardConnector.Big.Name, rows, ct);
        }

        SeedDuration = watch.Elapsed;
    }

    private static string FindScreenshotDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Satmon.slnx")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? AppContext.BaseDirectory;
        return Directory.CreateDirectory(Path.Combine(root, "artifacts", "screenshots")).FullName;
    }
}
