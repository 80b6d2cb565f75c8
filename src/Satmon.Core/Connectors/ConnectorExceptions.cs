namespace Satmon.Core.Connectors;

/// <summary>A vendor call failed in a way the operator should read: the message names what went wrong.</summary>
public class VendorException : Exception
{
    /// <summary>Creates the exception with an operator-readable message.</summary>
    public VendorException(string message) : base(message) { }

    /// <summary>Creates the exception with an operator-readable message and its cause.</summary>
    public VendorException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The vendor asked to wait (HTTP 429/503 with Retry-After). The polling manager delays the task.</summary>
public sealed class RetryAfterException : VendorException
{
    /// <summary>Creates the exception with the vendor's requested delay.</summary>
    public RetryAfterException(string message, TimeSpan retryAfter) : base(message) => RetryAfter = retryAfter;

    /// <summary>How long the vendor asked us to wait before the next call.</summary>
    public TimeSpan RetryAfter { get; }
}

/// <summary>The vendor refused our credentials. The element goes to AuthFailed with this message.</summary>
public sealed class AuthenticationFailedException : VendorException
{
    /// <summary>Creates the exception with an operator-readable message.</summary>
    public AuthenticationFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with an operator-readable message and its cause.</summary>
    public AuthenticationFailedException(string message, Exception inner) : base(message, inner) { }
}
