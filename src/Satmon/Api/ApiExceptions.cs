namespace Satmon.Api;

/// <summary>The thing asked for does not exist (unknown table, row, definition, object). Answered with 404.</summary>
internal sealed class ApiNotFoundException(string detail) : Exception(detail);

/// <summary>A query parameter or body member the caller got wrong. Answered with 400; the message says what to fix.</summary>
internal sealed class ApiBadRequestException(string detail) : Exception(detail);

/// <summary>The request clashes with the current state (e.g. polling a disabled task). Answered with 409.</summary>
internal sealed class ApiConflictException(string detail) : Exception(detail);

/// <summary>Body members were refused, by member name. Answered with a 400 validation problem.</summary>
internal sealed class ApiValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("Invalid request: " + string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public ApiValidationException(string member, string message)
        : this(new Dictionary<string, string[]> { [member] = [message] })
    {
    }
}
