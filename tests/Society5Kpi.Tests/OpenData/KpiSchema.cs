using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.OpenData;

/// <summary>
/// The Smart Data Models KeyPerformanceIndicator schema with the common schemas it refers to, registered locally so
/// that nothing is downloaded (see Schemas/README.md for their source and where they are looked for).
/// </summary>
public static class KpiSchema
{
    private const string Kpi = "KeyPerformanceIndicator.schema.json";
    private const string Common = "common-schema.json";

    private static readonly Lazy<JsonSchema> Schema = new(Load);

    /// <summary>What is wrong with an entity by the schema (formats checked too), or an empty list.</summary>
    public static IReadOnlyList<string> ProblemsWith(JsonNode entity)
    {
        var result = Schema.Value.Evaluate(JsonSerializer.SerializeToElement(entity),
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key} {e.Value}")).ToList();
    }

    private static JsonSchema Load()
    {
        var directory = Directory()
            ?? throw new InvalidOperationException(
                $"The Smart Data Models schemas ({Kpi}, {Common}) are neither in {Here} nor in {Shared}: see {Here}/README.md.");
        var registry = new SchemaRegistry { Fetch = (uri, _) => throw new InvalidOperationException($"{uri} is not registered: nothing is downloaded") };
        var options = new BuildOptions { SchemaRegistry = registry };
        JsonSchema.FromText(File.ReadAllText(Path.Combine(directory, Common)), options);
        return JsonSchema.FromText(File.ReadAllText(Path.Combine(directory, Kpi)), options);
    }

    private static string Here => Path.Combine(AppFixture.RepositoryRoot, "tests", "Society5Kpi.Tests", "OpenData", "Schemas");

    private static string Shared => Path.GetFullPath(Path.Combine(AppFixture.RepositoryRoot, "..", "shared", "data", "smart-data-models"));

    private static string? Directory() =>
        new[] { Here, Shared }.FirstOrDefault(d => File.Exists(Path.Combine(d, Kpi)) && File.Exists(Path.Combine(d, Common)));
}
