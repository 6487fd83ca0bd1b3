using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Society5Kpi.Infrastructure;

/// <summary>
/// The API described as OpenAPI at /openapi/v1.json, every endpoint with the problem answers it can give, and read at
/// /api/docs (Scalar, served by the app itself: no fonts or scripts from elsewhere).
/// </summary>
public static class ApiDocumentation
{
    public static void AddApiDocumentation(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Society5Kpi — 北海道Society5.0 評価指標",
                Version = "v1",
                Description = "The Hokkaido Society 5.0 plan's indicators, figures and roadmap. Reads are public and show published figures only; " +
                              "signed-in staff (cookie from POST /api/session) also see drafts. Writes need a role.",
                License = new OpenApiLicense { Name = "CC BY 4.0 (data)", Url = new Uri("https://creativecommons.org/licenses/by/4.0/") }
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(DescribeProblems);
    });

    public static void MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/docs", o => o
            .WithTitle("Society5Kpi API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
    }

    /// <summary>The refusals an operation can answer with, each a problem details body.</summary>
    private static Task DescribeProblems(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var method = context.Description.HttpMethod ?? "GET";
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var write = method is not "GET" and not "HEAD";
        var protectedEndpoint = metadata.OfType<IAuthorizeData>().Any();
        operation.Responses ??= new OpenApiResponses();
        void Problem(string status, string description)
        {
            if (operation.Responses.ContainsKey(status)) return;
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } }
                }
            };
        }
        Problem("400", "The input is not valid: the problem names each wrong field (errors) and says what is expected.");
        if (protectedEndpoint)
        {
            Problem("401", "Not signed in.");
            Problem("403", write ? "Signed in without the role this write needs, or sent from another site." : "Signed in without the role this needs.");
        }
        if (write)
        {
            Problem("403", "Sent from another site (Origin / Sec-Fetch-Site): refused, nothing written.");
            Problem("409", "Someone else changed the same stream first (with expectedVersion): says who and when; nothing written.");
        }
        else Problem("429", "Too many requests from this address (public routes): Retry-After says when to try again.");
        return Task.CompletedTask;
    }
}
