namespace Society5Kpi.Municipalities.Map;

/// <summary>
/// The municipality map's geometry from Seeds:Directory (default "seeds"), read on first use and kept: the
/// boundaries never change while the app runs.
/// </summary>
public sealed class MunicipalityMapShapes(IConfiguration configuration)
{
    public const string FileName = "hokkaido-municipalities.geojson";

    // PublicationOnly: a missing file is not cached as a failure, so putting it back is enough.
    private readonly Lazy<MunicipalityMapGeometry> _geometry = new(() =>
    {
        var path = Path.Combine(configuration["Seeds:Directory"] ?? "seeds", FileName);
        using var stream = File.OpenRead(path);
        return MunicipalityMapGeometry.Parse(stream);
    }, LazyThreadSafetyMode.PublicationOnly);

    public MunicipalityMapGeometry Geometry => _geometry.Value;
}
