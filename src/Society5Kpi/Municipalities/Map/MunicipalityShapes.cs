using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Society5Kpi.Municipalities.Map;

/// <summary>One municipality as drawn: an SVG path (all its rings, even-odd) and a point inside it for a label.</summary>
public sealed record MunicipalityShape(
    string Code, string Name, string NameRomaji, string Subprefecture, string SubprefectureRomaji,
    string Path, double CentroidX, double CentroidY);

/// <summary>
/// The municipalities projected onto a viewBox 1000 wide (height by aspect): equirectangular with the longitudes
/// scaled by cos(mean latitude), north up, coordinates rounded to 0.1.
/// </summary>
public sealed record MunicipalityMapGeometry(double Width, double Height, IReadOnlyList<MunicipalityShape> Shapes)
{
    public const double ViewBoxWidth = 1000;

    /// <summary>Reads a GeoJSON FeatureCollection of Polygon / MultiPolygon features; the stream is not disposed.</summary>
    public static MunicipalityMapGeometry Parse(Stream geoJson)
    {
        using var document = JsonDocument.Parse(geoJson);
        var features = Read(document.RootElement);
        if (features.Count == 0) throw new InvalidDataException("the GeoJSON has no features");

        double minLon = double.MaxValue, maxLon = double.MinValue, minLat = double.MaxValue, maxLat = double.MinValue;
        foreach (var point in features.SelectMany(f => f.Polygons).SelectMany(p => p).SelectMany(r => r))
        {
            minLon = Math.Min(minLon, point.Lon); maxLon = Math.Max(maxLon, point.Lon);
            minLat = Math.Min(minLat, point.Lat); maxLat = Math.Max(maxLat, point.Lat);
        }
        var xFactor = Math.Cos((minLat + maxLat) / 2 * Math.PI / 180);
        var scale = ViewBoxWidth / ((maxLon - minLon) * xFactor);
        // Rounded up, so that no rounded coordinate falls below the viewBox (less a hair for floating-point noise).
        var height = Math.Ceiling((maxLat - minLat) * scale * 10 - 1e-6) / 10;
        Point Project(LonLat p) => new(Round((p.Lon - minLon) * xFactor * scale), Round((maxLat - p.Lat) * scale));

        var shapes = features.Select(f =>
        {
            var polygons = f.Polygons
                .Select(polygon => polygon.Select(ring => Simplified(ring.Select(Project))).Where(r => r.Count >= 3).ToList())
                .Where(p => p.Count > 0)
                .ToList();
            if (polygons.Count == 0) throw new InvalidDataException($"feature {f.Code} has no ring left after projection");
            var (x, y) = LabelPoint(polygons);
            return new MunicipalityShape(f.Code, f.Name, f.NameRomaji, f.Subprefecture, f.SubprefectureRomaji,
                PathData(polygons.SelectMany(p => p)), x, y);
        }).ToList();
        return new MunicipalityMapGeometry(ViewBoxWidth, height, shapes);
    }

    private readonly record struct LonLat(double Lon, double Lat);

    private readonly record struct Point(double X, double Y);

    private sealed record Feature(
        string Code, string Name, string NameRomaji, string Subprefecture, string SubprefectureRomaji,
        List<List<List<LonLat>>> Polygons);

    private static List<Feature> Read(JsonElement root)
    {
        if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("the GeoJSON is not a FeatureCollection");
        var result = new List<Feature>();
        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            index++;
            var properties = feature.GetProperty("properties");
            string Text(string name) =>
                properties.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                    ? s
                    : throw new InvalidDataException($"feature {index} has no '{name}'");
            var code = Text("code");
            var geometry = feature.GetProperty("geometry");
            var coordinates = geometry.GetProperty("coordinates");
            var polygons = geometry.GetProperty("type").GetString() switch
            {
                "Polygon" => [Polygon(coordinates)],
                "MultiPolygon" => coordinates.EnumerateArray().Select(Polygon).ToList(),
                var other => throw new InvalidDataException($"feature {code} is a {other}, not a Polygon or MultiPolygon")
            };
            result.Add(new Feature(code, Text("name"), Text("name_romaji"), Text("subprefecture"), Text("subprefecture_romaji"), polygons));
        }
        return result;
    }

    private static List<List<LonLat>> Polygon(JsonElement rings) =>
        rings.EnumerateArray()
            .Select(ring => ring.EnumerateArray().Select(p => new LonLat(p[0].GetDouble(), p[1].GetDouble())).ToList())
            .ToList();

    private static double Round(double v) => Math.Round(v, 1, MidpointRounding.AwayFromZero);

    /// <summary>Drops points that rounding made equal to the one before, and the closing point (Z closes the ring).</summary>
    private static List<Point> Simplified(IEnumerable<Point> ring)
    {
        var points = new List<Point>();
        foreach (var p in ring)
            if (points.Count == 0 || points[^1] != p) points.Add(p);
        while (points.Count > 1 && points[^1] == points[0]) points.RemoveAt(points.Count - 1);
        return points;
    }

    private static string PathData(IEnumerable<List<Point>> rings)
    {
        var d = new StringBuilder();
        foreach (var ring in rings)
        {
            d.Append('M').Append(Number(ring[0].X)).Append(' ').Append(Number(ring[0].Y)).Append('L');
            for (var i = 1; i < ring.Count; i++)
            {
                // After L, further pairs are implicit line-tos: "L1 2 3 4" draws two segments.
                if (i > 1) d.Append(' ');
                d.Append(Number(ring[i].X)).Append(' ').Append(Number(ring[i].Y));
            }
            d.Append('Z');
        }
        return d.ToString();
    }

    private static string Number(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// The centroid of the largest polygon; when that falls outside it (a crescent-shaped town), the middle of the
    /// widest stretch inside the polygon along the centroid's row.
    /// </summary>
    private static (double X, double Y) LabelPoint(List<List<List<Point>>> polygons)
    {
        var largest = polygons.MaxBy(p => Math.Abs(SignedArea(p[0])))!;
        var (cx, cy) = Centroid(largest[0]);
        if (Inside(largest, cx, cy)) return (Round(cx), Round(cy));

        // Half a step off the grid, so the row never runs exactly through a vertex.
        var y = Math.Round(cy, 1) + 0.05;
        var crossings = largest.SelectMany(ring => ring.Select((a, i) => (a, b: ring[(i + 1) % ring.Count])))
            .Where(e => (e.a.Y > y) != (e.b.Y > y))
            .Select(e => e.a.X + (y - e.a.Y) / (e.b.Y - e.a.Y) * (e.b.X - e.a.X))
            .Order()
            .ToList();
        var best = (X: cx, Width: -1.0);
        for (var i = 0; i + 1 < crossings.Count; i += 2)
            if (crossings[i + 1] - crossings[i] > best.Width)
                best = ((crossings[i] + crossings[i + 1]) / 2, crossings[i + 1] - crossings[i]);
        return (Round(best.X), Round(y));
    }

    private static double SignedArea(List<Point> ring)
    {
        var sum = 0.0;
        for (var i = 0; i < ring.Count; i++)
        {
            var (a, b) = (ring[i], ring[(i + 1) % ring.Count]);
            sum += a.X * b.Y - b.X * a.Y;
        }
        return sum / 2;
    }

    private static (double X, double Y) Centroid(List<Point> ring)
    {
        var area = SignedArea(ring);
        if (Math.Abs(area) < 1e-9) return (ring.Average(p => p.X), ring.Average(p => p.Y));
        double x = 0, y = 0;
        for (var i = 0; i < ring.Count; i++)
        {
            var (a, b) = (ring[i], ring[(i + 1) % ring.Count]);
            var cross = a.X * b.Y - b.X * a.Y;
            x += (a.X + b.X) * cross;
            y += (a.Y + b.Y) * cross;
        }
        return (x / (6 * area), y / (6 * area));
    }

    /// <summary>Even-odd, like the fill: a point in a hole is outside.</summary>
    private static bool Inside(List<List<Point>> polygon, double x, double y)
    {
        var inside = false;
        foreach (var ring in polygon)
            for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
                if ((ring[i].Y > y) != (ring[j].Y > y)
                    && x < (ring[j].X - ring[i].X) * (y - ring[i].Y) / (ring[j].Y - ring[i].Y) + ring[i].X)
                    inside = !inside;
        return inside;
    }
}
