using System.Text.Json;
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
            throw Invalid(field, $"'{field}' has a value of the wrong type or format.");
        }
    }

    private static ValidationException Invalid(string field, string message) =>
        new(message, [new ValidationFailure(field, message)]);
}
