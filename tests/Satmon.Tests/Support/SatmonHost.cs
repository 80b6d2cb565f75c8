using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Satmon.Auth;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Hosting;

namespace Satmon.Tests.Support;

/// <summary>
/// The real satmon host on Kestrel (127.0.0.1, port 0) over a real SQLite file in a temp folder, with a fake clock,
/// the test connector, every log line captured, and HTTP clients holding an operator key, a viewer key and none.
/// One per test class (xUnit class fixture).
/// </summary>
public class SatmonHost : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    private WebApplication? _app;

    public FakeTimeProvider Time { get; } = new(Start);

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("satmon-host-").FullName;

    public WebApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Operator { get; private set; } = null!;

    public HttpClient Viewer { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public string OperatorKey { get; private set; } = "";

    public string ViewerKey { get; private set; } = "";

    public FakeLogCollector Logs => App.Services.GetRequiredService<FakeLogCollector>();

    public ElementManager Elements => (ElementManager)App.Services.GetRequiredService<IElementManager>();

    /// <summary>Extra configuration, e.g. <c>--Auth:AllowAnonymousHealth=false</c>.</summary>
    public virtual string[] ExtraArgs => [];

    public async ValueTask InitializeAsync()
    {
        string[] args = ["--urls=http://127.0.0.1:0", $"--DataDirectory={DataDirectory}", .. ExtraArgs];
        _app = SatmonApp.Build(args, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            services.AddSingleton<IConnector, TestConnector>();
            // Only the capturing logger: every line at every level is searched for secrets; no console noise.
            services.RemoveAll<ILoggerProvider>();
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        });
        SatmonApp.MapSatmon(_app);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        BaseAddress = new Uri(_app.Urls.Single());

        var keys = _app.Services.GetRequiredService<ApiKeyService>();
        OperatorKey = (await keys.CreateAsync("test operator", ApiKeyRole.Operator, TestContext.Current.CancellationToken)).Key;
        ViewerKey = (await keys.CreateAsync("test viewer", ApiKeyRole.Viewer, TestContext.Current.CancellationToken)).Key;
        Operator = CreateClient(OperatorKey);
        Viewer = CreateClient(ViewerKey);
        Anonymous = CreateClient(null);
    }

    public HttpClient CreateClient(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Creates a test-connector element through the API and waits until its first polls have finished.</summary>
    public async Task<JsonObject> CreateElementAsync(string name, string token = "tok-default", CancellationToken ct = default)
    {
        using var response = await Operator.PostAsJsonAsync("/api/elements", new
        {
            name,
            connector = TestConnector.Id,
            settings = new Dictionary<string, object> { ["baseUrl"] = "https://vendor.example", ["token"] = token },
        }, ct);
        var body = await Http.ReadObjectAsync(response, ct);
        Assert.True(response.IsSuccessStatusCode, $"create failed: {(int)response.StatusCode} {body.ToJsonString()}");
        await Elements.WhenIdleAsync(body["id"]!.GetValue<string>());
        return body;
    }

    /// <summary>Moves the fake clock and waits for the polls it made due.</summary>
    public async Task AdvanceAsync(string elementId, TimeSpan by)
    {
        Time.Advance(by);
        await Elements.WhenIdleAsync(elementId);
    }

    public async ValueTask DisposeAsync()
    {
        Operator?.Dispose();
        Viewer?.Dispose();
        Anonymous?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        // SQLite pools connections; clear them so the folder can go.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        GC.SuppressFinalize(this);
    }
}
