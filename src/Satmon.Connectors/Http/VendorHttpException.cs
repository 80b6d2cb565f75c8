using System.Net;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.Http;

/// <summary>
/// A vendor call answered with an error status. Keeps the status and the vendor's error code so a connector can
/// react to the ones it understands (401 → refresh the token, 404/410 → resubscribe) and fail on the rest.
/// </summary>
public sealed class VendorHttpException : VendorException
{
    /// <summary>Creates the exception with an operator-readable message.</summary>
    public VendorHttpException(string message, HttpStatusCode statusCode, string? vendorCode) : base(message)
    {
        StatusCode = statusCode;
        VendorCode = vendorCode;
    }

    /// <summary>The HTTP status the vendor answered.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The vendor's machine-readable error code (MEF <c>code</c>, OAuth <c>error</c>), when it sent one.</summary>
    public string? VendorCode { get; }
}
