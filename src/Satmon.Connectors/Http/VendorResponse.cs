namespace Satmon.Connectors.Http;

/// <summary>A successful vendor response whose body may still be streaming, with the timeout that guards it.</summary>
public sealed class VendorResponse(HttpResponseMessage response, RequestTimeout timeout, string call) : IDisposable
{
    /// <summary>The response (status already checked).</summary>
    public HttpResponseMessage Response { get; } = response;

    /// <summary>The time limit, still running while the body is read.</summary>
    public RequestTimeout Timeout { get; } = timeout;

    /// <summary>The call's name for messages.</summary>
    public string Call { get; } = call;

    /// <inheritdoc />
    public void Dispose()
    {
        Response.Dispose();
        Timeout.Dispose();
    }
}
