using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AgentKit.Server.Protocol;

/// <summary>
/// Reads a request body into memory under a byte limit and checks it is UTF-8: a declared <c>Content-Length</c>
/// over the limit is refused before a byte is read, and a chunked body is abandoned as soon as it passes the limit,
/// so no client can make the server buffer, parse or tokenise more than the limit.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>Returns the whole body; throws <see cref="ApiError"/> 413 when too large, 400 when not UTF-8.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
            throw TooLarge($"The request body is {declared} bytes (its Content-Length)", limit);

        var body = new ArrayBufferWriter<byte>((int)Math.Clamp(request.ContentLength ?? 16 * 1024, 256, limit));
        try
        {
            while (true)
            {
                // Ask for one byte more than the limit allows, so an oversized chunked body is detected without reading on.
                var room = Math.Min(64 * 1024, limit + 1 - body.WrittenCount);
                var read = await request.Body.ReadAsync(body.GetMemory(room)[..room], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                body.Advance(read);
                if (body.WrittenCount > limit)
                    throw TooLarge($"The request body is more than {limit} bytes", limit);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel enforces the same limit on its own (it is configured from the same option).
            throw TooLarge($"The request body is more than {limit} bytes", limit);
        }

        var bytes = body.WrittenMemory;
        if (FirstInvalidUtf8(bytes.Span) is { } offset)
            throw new ApiError(StatusCodes.Status400BadRequest,
                $"The request body is not valid UTF-8 (invalid byte 0x{bytes.Span[offset]:X2} at offset {offset}); send JSON encoded as UTF-8.",
                ApiError.InvalidRequestType, code: "invalid_encoding");
        return bytes;
    }

    private static ApiError TooLarge(string what, int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"{what}; this server accepts request bodies of at most {limit} bytes.",
            ApiError.InvalidRequestType, code: "request_too_large");

    private static int? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
            return null;
        for (var offset = 0; offset < bytes.Length;)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
                return offset;
            offset += consumed;
        }
        return null;
    }
}
