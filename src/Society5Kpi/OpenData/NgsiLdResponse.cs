using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.Net.Http.Headers;

namespace Society5Kpi.OpenData;

/// <summary>
/// How an NGSI-LD response is written (ETSI GS CIM 009 §6.3.6): for Accept: application/ld+json, each entity carries its
/// @context; for application/json (or no preference), the body is plain JSON and the context goes in a Link header.
/// </summary>
public static class NgsiLdResponse
{
    public const string JsonLd = "application/ld+json";

    /// <summary>The model's context, then the core context: the core comes last so that its terms are never redefined.</summary>
    private static readonly string[] Context = [KpiEntity.ModelContext, KpiEntity.CoreContext];

    // The core context is implied for plain JSON, so the Link header names only the model's.
    private static readonly string ContextLink =
        $"<{KpiEntity.ModelContext}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"{JsonLd}\"";

    // Japanese as UTF-8, not \uXXXX escapes, as the pages write it.
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Whether the caller takes JSON-LD, plain JSON, or neither (null: 406 Not Acceptable).</summary>
    public static bool? WantsJsonLd(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().Accept;
        if (accepted.Count == 0) return false;
        foreach (var type in accepted.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            if (type.MediaType.Equals(JsonLd, StringComparison.OrdinalIgnoreCase)) return true;
            if (type.MediaType.Value is "application/json" or "application/*" or "*/*") return false;
        }
        return null;
    }

    public static IResult Ok(HttpContext http, JsonNode body, bool jsonLd)
    {
        if (!jsonLd)
        {
            http.Response.Headers[HeaderNames.Link] = ContextLink;
            return Results.Text(body.ToJsonString(Json), "application/json", Encoding.UTF8);
        }
        foreach (var entity in body is JsonArray list ? list.OfType<JsonObject>() : [body.AsObject()])
            entity["@context"] = new JsonArray(Context.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());
        return Results.Text(body.ToJsonString(Json), JsonLd, Encoding.UTF8);
    }

    public static IResult NotAcceptable() => Results.StatusCode(StatusCodes.Status406NotAcceptable);

    public static IResult NotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "ResourceNotFound", "Entity Not Found", $"No entity with id {id}");

    public static IResult BadRequestData(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "BadRequestData", "Bad Request Data", detail);

    // NGSI-LD's ProblemDetails, sent as application/json as the spec's error responses are.
    private static IResult Problem(int status, string error, string title, string detail) =>
        Results.Text(new JsonObject
        {
            ["type"] = $"https://uri.etsi.org/ngsi-ld/errors/{error}", ["title"] = title, ["status"] = status, ["detail"] = detail
        }.ToJsonString(Json), "application/json", Encoding.UTF8, status);
}
