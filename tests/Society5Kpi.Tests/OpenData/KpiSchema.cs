using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.OpenData;

/// <summary>
/// What a KeyPerformanceIndicator entity is checked against, with nothing downloaded: always the model's attributes,
/// types, enumerations and formats as this project reads the 0.2.1 specification (Schemas/KeyPerformanceIndicator.constraints.schema.json,
/// written here); and the model's own schema files with the common schemas they refer to, when they are provided
/// (see Schemas/README.md: third-party files reach this repository only through the steering repository's shared/).
/// </summary>
public static class KpiSchema
{
    private const string Kpi = "KeyPerformanceIndicator.schema.json";
    private const string Common = "common-schema.json";
    private const string Constraints = "KeyPerformanceIndicator.constraints.schema.json";

    private static readonly Lazy<JsonSchema> OwnReading = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(Here, Constraints)), Offline()));
    private static readonly Lazy<JsonSchema?> Official = new(LoadOfficial);

    /// <summary>Whether the model's own schema files are here to check against.</summary>
    public static bool OfficialAvailable => Official.Value is not null;

    public static string WhereTheOfficialSchemaGoes => $"the model's schema files ({Kpi}, {Common}) are neither in {Here} nor in {Shared}: see Schemas/README.md";

    /// <summary>What is wrong with an entity by the project's reading of the model and, when provided, by the model's own schema.</summary>
    public static IReadOnlyList<string> ProblemsWith(JsonNode entity) =>
        Problems(OwnReading.Value, entity).Concat(Official.Value is { } official ? Problems(official, entity) : []).ToList();

    /// <summary>What is wrong with an entity by the model's own schema (call only when <see cref="OfficialAvailable"/>).</summary>
    public static IReadOnlyList<string> OfficialProblemsWith(JsonNode entity) => Problems(Official.Value!, entity);

    private static IReadOnlyList<string> Problems(JsonSchema schema, JsonNode entity)
    {
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(entity),
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key} {e.Value}")).ToList();
    }

    private static BuildOptions Offline() => new()
    {
        SchemaRegistry = new SchemaRegistry { Fetch = (uri, _) => throw new InvalidOperationException($"{uri} is not registered: nothing is downloaded") }
    };

    private static JsonSchema? LoadOfficial()
    {
        var directory = new[] { Here, Shared }.FirstOrDefault(d => File.Exists(Path.Combine(d, Kpi)) && File.Exists(Path.Combine(d, Common)));
        if (directory is null) return null;
        var options = Offline();
        JsonSchema.FromText(File.ReadAllText(Path.Combine(directory, Common)), options);
        return JsonSchema.FromText(File.ReadAllText(Path.Combine(directory, Kpi)), options);
    }

    private static string Here => Path.Combine(AppFixture.RepositoryRoot, "tests", "Society5Kpi.Tests", "OpenData", "Schemas");

    private static string Shared => Path.GetFullPath(Path.Combine(AppFixture.RepositoryRoot, "..", "shared", "data", "smart-data-models"));
}
