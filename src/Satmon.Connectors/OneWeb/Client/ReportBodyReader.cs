using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Satmon.Connectors.OneWeb.Client;

/// <summary>The top-level members of a performance report that decide what to do with it.</summary>
internal sealed class ReportHeader
{
    public string? Id { get; set; }

    public string? State { get; set; }

    /// <summary>Whether the body had a <c>reportContent</c> array (even an empty one).</summary>
    public bool HasContent { get; set; }
}

/// <summary>
/// Streams the <c>reportContent</c> items of a performance report body one by one. A day of 15-minute samples for a
/// large fleet is hundreds of megabytes of JSON; only one item (one interval) is ever held in memory.
/// <c>id</c> and <c>state</c> are captured wherever they appear in the object.
/// </summary>
internal static class ReportBodyReader
{
    private const int InitialBufferBytes = 64 * 1024;

    public static async IAsyncEnumerable<WireReportContent> ReadAsync(
        Stream stream, ReportHeader header, JsonTypeInfo<WireReportContent> itemType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = new Parser(header, itemType);
        var buffer = new byte[InitialBufferBytes];
        var length = 0;
        var endOfStream = false;
        var items = new List<WireReportContent>();
        while (!parser.Done)
        {
            if (!endOfStream)
            {
                if (length == buffer.Length)
                {
                    // One item is larger than the buffer: grow so it fits whole.
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                endOfStream = read == 0;
                length += read;
            }

            var consumed = parser.Parse(buffer.AsSpan(0, length), endOfStream, items);
            if (consumed > 0)
            {
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
            }

            foreach (var item in items)
            {
                yield return item;
            }

            items.Clear();
            if (endOfStream && !parser.Done && consumed == 0)
            {
                throw new JsonException("The report body ended before the JSON was complete.");
            }
        }
    }

    /// <summary>A resumable pass over the buffer: each step either completes or leaves the buffer for the next read.</summary>
    private sealed class Parser(ReportHeader header, JsonTypeInfo<WireReportContent> itemType)
    {
        private JsonReaderState _state;
        private Phase _phase;

        private enum Phase
        {
            BeforeRoot,
            RootMembers,
            InContent,
            Done,
        }

        public bool Done => _phase == Phase.Done;

        /// <summary>Returns the bytes fully processed; a step cut by the end of the data is redone on the next call.</summary>
        public int Parse(ReadOnlySpan<byte> data, bool isFinalBlock, List<WireReportContent> items)
        {
            var reader = new Utf8JsonReader(data, isFinalBlock, _state);
            var committed = 0;
            while (_phase != Phase.Done && Step(ref reader, items))
            {
                committed = (int)reader.BytesConsumed;
                _state = reader.CurrentState;
            }

            return committed;
        }

        private bool Step(ref Utf8JsonReader reader, List<WireReportContent> items)
        {
            switch (_phase)
            {
                case Phase.BeforeRoot:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    _phase = reader.TokenType == JsonTokenType.StartObject
                        ? Phase.RootMembers
                        : throw new JsonException($"A performance report must be a JSON object; found {reader.TokenType}.");
                    return true;
                case Phase.RootMembers:
                    return RootMember(ref reader);
                default:
                    return ContentItem(ref reader, items);
            }
        }

        private bool RootMember(ref Utf8JsonReader reader)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                _phase = Phase.Done;
                return true;
            }

            var name = reader.GetString();
            if (!reader.Read())
            {
                return false;
            }

            switch (name)
            {
                case "reportContent" when reader.TokenType == JsonTokenType.StartArray:
                    header.HasContent = true;
                    _phase = Phase.InContent;
                    return true;
                case "id" when reader.TokenType == JsonTokenType.String:
                    header.Id = reader.GetString();
                    return true;
                case "state" when reader.TokenType == JsonTokenType.String:
                    header.State = reader.GetString();
                    return true;
                default:
                    return reader.TrySkip();
            }
        }

        private bool ContentItem(ref Utf8JsonReader reader, List<WireReportContent> items)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                _phase = Phase.RootMembers;
                return true;
            }

            var start = reader;
            if (!reader.TrySkip())
            {
                return false;
            }

            items.Add(JsonSerializer.Deserialize(ref start, itemType)
                ?? throw new JsonException("A reportContent item is null."));
            return true;
        }
    }
}
