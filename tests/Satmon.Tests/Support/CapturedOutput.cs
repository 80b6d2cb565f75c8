using System.Text;

namespace Satmon.Tests.Support;

/// <summary>
/// The output of a command that runs on other threads, readable while it is being written: every write and every
/// read takes the same lock. (A StringWriter behind <c>TextWriter.Synchronized</c> locks the writes only, so reading
/// it meanwhile can catch its buffer half-grown.)
/// </summary>
public sealed class CapturedOutput : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
        {
            _text.Append(buffer, index, count);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
        {
            _text.Append(buffer);
        }
    }

    /// <summary>Everything written so far.</summary>
    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }
}
