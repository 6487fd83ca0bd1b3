using System.Reflection;
using Npgsql;

namespace Society5Kpi.Drill;

/// <summary>
/// The real values the generator mixes with the malformed ones, so that requests get past routing and reach the checks
/// behind it: the store's stream keys (indicator, roadmap, municipality codes) and figure ids, the import template as the
/// app writes it (CSV and .xlsx), and the shapes of the app's JSON request bodies (its *Request records).
/// </summary>
public sealed class FuzzingVocabulary
{
    public required IReadOnlyList<string> StreamKeys { get; init; }
    public required IReadOnlyList<string> MeasurementIds { get; init; }
    public required byte[] CsvTemplate { get; init; }
    public required byte[] XlsxTemplate { get; init; }
    public required IReadOnlyList<BodyShape> BodyShapes { get; init; }
    /// <summary>Every query key some endpoint reads, for endpoints that may read one undeclared.</summary>
    public required IReadOnlyList<string> AllQueryKeys { get; init; }

    /// <summary>Ids of import previews the run has created (the confirm and read routes take them).</summary>
    public List<string> PreviewIds { get; } = [];

    public sealed record BodyShape(string Name, IReadOnlyList<(string Field, Type Type)> Fields);

    public static async Task<FuzzingVocabulary> ReadAsync(TargetApp app, IReadOnlyList<FuzzEndpoint> endpoints)
    {
        await using var connection = await app.OpenAsync();
        var streams = await ListAsync(connection, "select id from society5kpi.mt_streams order by id");
        var figures = await ListAsync(connection,
            "select distinct data->>'MeasurementId' from society5kpi.mt_events where data ? 'MeasurementId' order by 1 limit 300");
        using var http = app.NewClient();
        async Task<byte[]> Template(string format)
        {
            using var request = app.Request(HttpMethod.Get, $"/api/imports/measurements/template?quarter=FY2024Q3{format}", TargetApp.Editor);
            using var answer = await http.SendAsync(request);
            answer.EnsureSuccessStatusCode();
            return await answer.Content.ReadAsByteArrayAsync();
        }
        return new FuzzingVocabulary
        {
            StreamKeys = streams, MeasurementIds = figures,
            CsvTemplate = await Template(""), XlsxTemplate = await Template("&format=xlsx"),
            BodyShapes = BodyShapesOfTheApp(),
            AllQueryKeys = endpoints.SelectMany(e => e.QueryKeys).Append("fileName").Distinct().Order(StringComparer.Ordinal).ToList()
        };
    }

    private static IReadOnlyList<BodyShape> BodyShapesOfTheApp() =>
        typeof(Society5KpiSetup).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) && t is { IsClass: true, IsAbstract: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => new BodyShape(t.Name, t.GetProperties(BindingFlags.Instance | BindingFlags.Public)
                .Where(p => p.CanRead && p.Name != "EqualityContract")
                .Select(p => (char.ToLowerInvariant(p.Name[0]) + p.Name[1..], p.PropertyType)).ToList()))
            .ToList();

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }
}
