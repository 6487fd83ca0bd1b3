using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;

namespace Society5Kpi.Infrastructure;

/// <summary>
/// Reads a JSON request body so that a value of the wrong type ("value": "many") is refused like any
/// other invalid input: a 400 naming the field, instead of a generic "invalid JSON".
/// </summary>
public static class RequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken ct = default) where T : class
    {
        // Only JSON: a form or text post from another site is refused before it is read.
        if (!request.HasJsonContentType()) throw Invalid("body", "Send the body as JSON (Content-Type: application/json).");
        try
        {
            return await request.ReadFromJsonAsync<T>(ct)
                   ?? throw Invalid("body", "The request has no body.");
        }
        catch (JsonException json)
        {
            var field = json.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body";
            throw Invalid(field, json is TextWithoutNul.NulInText
                ? $"'{field}' holds a NUL character (\\u0000), which a text cannot hold here: remove it."
                : $"'{field}' has a value of the wrong type or format.");
        }
    }

    private static ValidationException Invalid(string field, string message) =>
        new(message, [new ValidationFailure(field, message)]);
}

/// <summary>
/// PostgreSQL's jsonb, where every command and event is stored, has no \u0000: a text holding one is refused where the
/// body is read, naming its field, instead of failing the whole transaction when it is committed.
/// </summary>
public sealed class TextWithoutNul : JsonConverter<string>
{
    public sealed class NulInText() : JsonException("A text holds a NUL character.");

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text?.Contains('\0') == true ? throw new NulInText() : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
