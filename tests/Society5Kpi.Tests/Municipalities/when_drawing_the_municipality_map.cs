using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Society5Kpi.Components.Map;
using Society5Kpi.Municipalities.Map;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Municipalities;

public partial class when_drawing_the_municipality_map
{
    private const string Sapporo = "011002";
    private const string Hakodate = "012025";
    private const string Wakkanai = "012149";
    private const string Nemuro = "012238";

    // Parsed once for the class: every specification here only reads it.
    private static readonly Lazy<MunicipalityMapGeometry> Seeded = new(() =>
    {
        using var file = File.OpenRead(Path.Combine(AppFixture.SeedsDirectory, MunicipalityMapShapes.FileName));
        return MunicipalityMapGeometry.Parse(file);
    });

    private static MunicipalityMapGeometry Map => Seeded.Value;

    private static MunicipalityShape Shape(string code) => Map.Shapes.Single(s => s.Code == code);

    [GeneratedRegex(@"\d+(\.\d)?")]
    private static partial Regex Coordinate();

    private static IEnumerable<(double X, double Y)> Points(string path)
    {
        var numbers = Coordinate().Matches(path).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        for (var i = 0; i + 1 < numbers.Count; i += 2) yield return (numbers[i], numbers[i + 1]);
    }

    [Fact]
    public void the_seeds_copy_draws_the_179_municipalities_of_municipalities_csv()
    {
        var listed = File.ReadLines(Path.Combine(AppFixture.SeedsDirectory, "municipalities.csv"))
            .Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        listed.Count.ShouldBe(179);

        Map.Shapes.Count.ShouldBe(179);
        Map.Shapes.Select(s => s.Code).Distinct().Count().ShouldBe(179);
        Map.Shapes.Select(s => s.Code).Order().ShouldBe(listed.Order());
        Shape(Sapporo).ShouldSatisfyAllConditions(
            s => s.Name.ShouldBe("札幌市"), s => s.NameRomaji.ShouldBe("Sapporo-shi"),
            s => s.Subprefecture.ShouldBe("石狩振興局"), s => s.SubprefectureRomaji.ShouldBe("Ishikari"));
    }

    [Fact]
    public void the_view_box_is_1000_wide_and_hokkaido_is_not_stretched()
    {
        Map.Width.ShouldBe(1000);
        // 7.0° of longitude by 4.2° of latitude at 43.4° N: about 5.1 by 4.2 in equal units.
        (Map.Height / Map.Width).ShouldBeInRange(0.78, 0.85);
    }

    [Fact]
    public void every_path_is_a_closed_compact_outline_within_the_view_box()
    {
        foreach (var shape in Map.Shapes)
        {
            shape.Path.ShouldStartWith("M");
            shape.Path.ShouldEndWith("Z");
            shape.Path.ShouldMatch(@"^(M[\d. ]+L[\d. ]+Z)+$");
            var points = Points(shape.Path).ToList();
            points.Count.ShouldBeGreaterThanOrEqualTo(3, shape.Code);
            points.ShouldAllBe(p => p.X >= 0 && p.X <= Map.Width && p.Y >= 0 && p.Y <= Map.Height);
        }
        // The map fills the box: something touches each edge.
        var all = Map.Shapes.SelectMany(s => Points(s.Path)).ToList();
        all.Min(p => p.X).ShouldBe(0);
        all.Max(p => p.X).ShouldBe(1000, tolerance: 0.1);
        all.Min(p => p.Y).ShouldBe(0);
        all.Max(p => p.Y).ShouldBe(Map.Height, tolerance: 0.2);
    }

    [Fact]
    public void sapporos_label_point_is_inside_the_map_and_within_sapporo()
    {
        var sapporo = Shape(Sapporo);
        sapporo.CentroidX.ShouldBeInRange(0, Map.Width);
        sapporo.CentroidY.ShouldBeInRange(0, Map.Height);
        var points = Points(sapporo.Path).ToList();
        sapporo.CentroidX.ShouldBeInRange(points.Min(p => p.X), points.Max(p => p.X));
        sapporo.CentroidY.ShouldBeInRange(points.Min(p => p.Y), points.Max(p => p.Y));
    }

    [Fact]
    public void north_is_up_and_east_is_right()
    {
        Shape(Wakkanai).CentroidY.ShouldBeLessThan(Shape(Hakodate).CentroidY);
        Shape(Wakkanai).CentroidY.ShouldBeLessThan(Shape(Sapporo).CentroidY);
        Shape(Nemuro).CentroidX.ShouldBeGreaterThan(Shape(Sapporo).CentroidX);
        Shape(Hakodate).CentroidX.ShouldBeLessThan(Shape(Sapporo).CentroidX);
    }

    [Fact]
    public void a_multipolygon_is_one_path_with_a_ring_per_part()
    {
        const string geoJson = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"code":"000001","name":"甲町","name_romaji":"Ko-cho","subprefecture":"乙振興局","subprefecture_romaji":"Otsu"},
               "geometry":{"type":"MultiPolygon","coordinates":[
                 [[[140,42],[141,42],[141,43],[140,43],[140,42]]],
                 [[[142,44],[142.5,44],[142.5,44.5],[142,44.5],[142,44]]]]}}]}
            """;
        var map = MunicipalityMapGeometry.Parse(new MemoryStream(Encoding.UTF8.GetBytes(geoJson)));

        var path = map.Shapes.Single().Path;
        path.Count(c => c == 'M').ShouldBe(2);
        path.Count(c => c == 'Z').ShouldBe(2);
        // The closing point is left to Z: four corners per square.
        Points(path).Count().ShouldBe(8);
        // South-west corner first: x 0 and y at the bottom.
        Points(path).First().ShouldSatisfyAllConditions(p => p.X.ShouldBe(0), p => p.Y.ShouldBe(map.Height, tolerance: 0.1));
        // The centroid is the larger part's: the first square, at the bottom left.
        map.Shapes.Single().CentroidY.ShouldBeGreaterThan(map.Height / 2);
    }

    [Fact]
    public void a_feature_without_its_name_is_refused()
    {
        const string geoJson = """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"000001"},
             "geometry":{"type":"Polygon","coordinates":[[[140,42],[141,42],[141,43],[140,42]]]}}]}
            """;
        Should.Throw<InvalidDataException>(() => MunicipalityMapGeometry.Parse(new MemoryStream(Encoding.UTF8.GetBytes(geoJson))))
            .Message.ShouldContain("name");
    }

    [Fact]
    public void the_service_reads_the_seeds_directory_once()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Seeds:Directory"] = AppFixture.SeedsDirectory })
            .Build();
        var shapes = new MunicipalityMapShapes(configuration);

        shapes.Geometry.Shapes.Count.ShouldBe(179);
        shapes.Geometry.ShouldBeSameAs(shapes.Geometry);
    }

    [Fact]
    public void the_lowest_figure_is_the_lightest_blue_and_the_highest_the_darkest()
    {
        MapColours.Sequential(20m, 20m, 80m).ShouldBe(MapColours.Steps[0]);
        MapColours.Sequential(80m, 20m, 80m).ShouldBe(MapColours.Steps[^1]);
        MapColours.Sequential(50m, 20m, 80m).ShouldBe(MapColours.Steps[3]);
        // Outside a fixed scale: clamped.
        MapColours.Sequential(-5m, 0m, 100m).ShouldBe(MapColours.Steps[0]);
        MapColours.Sequential(120m, 0m, 100m).ShouldBe(MapColours.Steps[^1]);
    }

    [Fact]
    public void the_steps_darken_as_the_figure_grows()
    {
        var steps = Enumerable.Range(0, 101).Select(v => MapColours.Step(v, 0, 100)).ToList();
        steps.ShouldBe(steps.Order());
        steps.Distinct().Count().ShouldBe(MapColours.Steps.Count);
    }

    [Fact]
    public void no_figure_is_grey_and_one_figure_for_all_is_the_middle_step()
    {
        MapColours.Sequential(null, 0m, 100m).ShouldBe(MapColours.NoFigure);
        MapColours.NoFigure.ShouldBe("#d9d9d9");
        MapColours.Sequential(5m, 5m, 5m).ShouldBe(MapColours.Steps[MapColours.Steps.Count / 2]);
    }

    private static Dictionary<string, MapValue> FakeValues() => Map.Shapes
        .Select((s, i) => (s.Code, Value: i % 10 == 0 ? (decimal?)null : 20m + i % 60))
        .ToDictionary(v => v.Code, v => new MapValue(v.Value, v.Value is { } x ? $"{x} % (2022-12-31)" : "未公表", null));

    private static IRenderedComponent<MunicipalityMap> Render(BunitContext context, IReadOnlyDictionary<string, MapValue> values,
        Action<ComponentParameterCollectionBuilder<MunicipalityMap>>? more = null)
    {
        // A Japanese page, whatever the machine's locale.
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ja-JP");
        try
        {
            return context.Render<MunicipalityMap>(p =>
            {
                p.Add(m => m.Geometry, Map).Add(m => m.Values, values).Add(m => m.Title, "マイナンバーカードの交付率");
                more?.Invoke(p);
            });
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    [Fact]
    public void the_map_draws_every_municipality_once_with_its_name_and_figure()
    {
        using var context = new BunitContext();
        var values = FakeValues();
        values[Sapporo] = new MapValue(55.7m, "55.7 % (2022-12-31)", "速報値");
        var map = Render(context, values);

        var paths = map.FindAll("figure.municipality-map svg path.municipality");
        paths.Count.ShouldBe(179);
        paths.Select(p => p.GetAttribute("data-code")).Distinct().Count().ShouldBe(179);
        paths.ShouldAllBe(p => p.QuerySelector("title") != null && p.GetAttribute("tabindex") == "0"
            && p.GetAttribute("aria-label") == p.QuerySelector("title")!.TextContent);
        var sapporo = paths.Single(p => p.GetAttribute("data-code") == Sapporo);
        sapporo.QuerySelector("title")!.TextContent.ShouldBe("札幌市: 55.7 % (2022-12-31)（速報値）");
        sapporo.GetAttribute("d").ShouldBe(Shape(Sapporo).Path);
        map.Find("svg").GetAttribute("viewBox").ShouldBe($"0 0 1000 {Invariant(Map.Height)}");
        map.Find("svg > title").TextContent.ShouldBe("マイナンバーカードの交付率");
    }

    [Fact]
    public void the_highlighted_municipality_is_outlined_and_drawn_last()
    {
        using var context = new BunitContext();
        var map = Render(context, FakeValues(), p => p.Add(m => m.HighlightCode, Hakodate));

        var highlighted = map.FindAll("path.highlight");
        highlighted.Count.ShouldBe(1);
        highlighted[0].GetAttribute("data-code").ShouldBe(Hakodate);
        map.FindAll("path.municipality")[^1].GetAttribute("data-code").ShouldBe(Hakodate);
    }

    [Fact]
    public void figures_are_shaded_from_the_lowest_to_the_highest_and_missing_ones_hatched()
    {
        using var context = new BunitContext();
        var values = new Dictionary<string, MapValue>
        {
            [Sapporo] = new(80m, "80 %", null),
            [Hakodate] = new(20m, "20 %", null),
            [Wakkanai] = new(null, "未公表", null),
        };
        var map = Render(context, values, p => p.Add(m => m.Format, v => $"{v} %"));

        string Fill(string code) => map.Find($"path[data-code='{code}']").GetAttribute("fill")!;
        Fill(Sapporo).ShouldBe(MapColours.Steps[^1]);
        Fill(Hakodate).ShouldBe(MapColours.Steps[0]);
        Fill(Wakkanai).ShouldStartWith("url(#");
        Fill(Nemuro).ShouldBe(Fill(Wakkanai));
        map.Find($"path[data-code='{Nemuro}'] title").TextContent.ShouldBe("根室市: データなし");
        map.Find(".map-min").TextContent.ShouldBe("20 %");
        map.Find(".map-max").TextContent.ShouldBe("80 %");
        map.FindAll(".map-scale .swatch").Count.ShouldBe(MapColours.Steps.Count);
        map.Find(".swatch.no-figure").ShouldNotBeNull();
    }

    [Fact]
    public void categories_take_the_callers_colours_and_their_own_legend()
    {
        using var context = new BunitContext();
        var values = Map.Shapes.ToDictionary(s => s.Code, s => s.Code == Sapporo
            ? new MapValue(1, "開始済み", null, MapColours.Yes)
            : new MapValue(0, "未開始", null, MapColours.No));
        var map = Render(context, values, p => p.Add(m => m.Categories,
            [new MapCategory(MapColours.Yes, "開始済み"), new MapCategory(MapColours.No, "未開始")]));

        map.Find($"path[data-code='{Sapporo}']").GetAttribute("fill").ShouldBe(MapColours.Yes);
        map.Find($"path[data-code='{Hakodate}']").GetAttribute("fill").ShouldBe(MapColours.No);
        map.FindAll(".map-scale").ShouldBeEmpty();
        map.FindAll(".map-legend .map-key").Select(k => k.TextContent).ShouldBe(["開始済み", "未開始", "データなし"]);
    }

    [Fact]
    public void the_caption_comes_with_the_boundaries_credit_line()
    {
        using var context = new BunitContext();
        var map = Render(context, FakeValues(), p => p.Add(m => m.Caption, (RenderFragment)(b => b.AddContent(0, "出典: 総務省"))));

        var caption = map.Find("figure > figcaption").TextContent;
        caption.ShouldContain("出典: 総務省");
        caption.ShouldContain("「国土数値情報（行政区域データ）」（国土交通省）を加工して作成");
    }

    private static string Invariant(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
