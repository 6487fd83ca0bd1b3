using System.Text.Json.Nodes;
using Society5Kpi.Components;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;

namespace Society5Kpi.OpenData;

/// <summary>
/// The plan's open data as a DCAT catalogue (DCAT-AP style JSON-LD): the indicators, all published measurements, one
/// dataset per indicator and the municipality map, each with the addresses it can be read at. Pure: built from the
/// published view only.
/// </summary>
public static class DataCatalog
{
    private const string Eu = "http://publications.europa.eu/resource/authority/";
    private const string Iana = "https://www.iana.org/assignments/media-types/";
    private const string Government = Eu + "data-theme/GOVE";

    private static readonly JsonObject Context = new()
    {
        ["dcat"] = "http://www.w3.org/ns/dcat#",
        ["dct"] = "http://purl.org/dc/terms/",
        ["foaf"] = "http://xmlns.com/foaf/0.1/",
        ["rdfs"] = "http://www.w3.org/2000/01/rdf-schema#",
        ["skos"] = "http://www.w3.org/2004/02/skos/core#",
        ["xsd"] = "http://www.w3.org/2001/XMLSchema#"
    };

    private sealed record Format(string Title, string MediaType, string FileType);

    private static readonly Format Csv = new("CSV", "text/csv", "CSV");
    private static readonly Format Json = new("JSON", "application/json", "JSON");
    private static readonly Format NgsiLd = new("NGSI-LD", NgsiLdResponse.JsonLd, "JSON_LD");
    private static readonly Format NgsiLdHistory = NgsiLd with { Title = "NGSI-LD temporal" };
    private static readonly Format Html = new("HTML", "text/html", "HTML");

    /// <param name="site">Scheme, host and path base of the request, so every address is absolute.</param>
    public static JsonObject Of(IReadOnlyList<PublishedIndicator> indicators, string site)
    {
        var self = $"{site}/catalog.jsonld";
        var catalog = new JsonObject
        {
            ["@context"] = Context.DeepClone(),
            ["@id"] = self,
            ["@type"] = "dcat:Catalog",
            ["dct:title"] = Text("北海道Society5.0推進計画 評価指標オープンデータ", "Hokkaido Society 5.0 plan: indicators as open data"),
            ["dct:description"] = Text(
                "北海道Society5.0推進計画の評価指標と参考指標について、基準値・目標値・公表済みの実績値と進捗状況を公開するデータカタログです。審査で承認された数値のみを含みます。",
                "The indicators and reference figures of the Hokkaido Society 5.0 plan: baselines, targets, published figures and progress status. Only figures approved in review are included."),
            ["dct:publisher"] = Publisher(self),
            ["dct:license"] = Ref(Publication.Licence),
            ["dct:language"] = new JsonArray(Ref(Eu + "language/JPN"), Ref(Eu + "language/ENG")),
            ["dct:spatial"] = Hokkaido(self),
            ["foaf:homepage"] = Ref($"{site}/"),
            ["dcat:themeTaxonomy"] = new JsonArray(Ref(Eu + "data-theme"), Areas(self)),
        };
        if (Modified(indicators) is { } modified) catalog["dct:modified"] = modified;
        catalog["dcat:service"] = new JsonArray(NgsiLdService(site, self, indicators));
        catalog["dcat:dataset"] = new JsonArray(
            new[] { IndicatorList(site, self, indicators), Measurements(site, self, indicators) }
                .Concat(indicators.Select(i => Indicator(site, self, i)))
                .Append(MunicipalityMap(site, self))
                .Select(d => (JsonNode)d).ToArray());
        return catalog;
    }

    /// <summary>The EU frequency the indicator's figures come at.</summary>
    public static string AccrualPeriodicity(ReportingFrequency frequency) => Eu + "frequency/" + frequency switch
    {
        ReportingFrequency.Annual => "ANNUAL",
        ReportingFrequency.Quarterly => "QUARTERLY",
        ReportingFrequency.Monthly => "MONTHLY",
        _ => "IRREG"
    };

    private static JsonObject IndicatorList(string site, string self, IReadOnlyList<PublishedIndicator> indicators) =>
        Dataset(self, "indicators",
            Text("評価指標の一覧", "Indicators"),
            Text("全指標の定義（分野・施策・単位）、基準値、目標値、最新の公表値と進捗状況。",
                "Every indicator's definition (area, policy, unit), baseline, target, latest published figure and status."),
            indicators, Keywords(), [Ref(Government)],
            [
                Distribution(self, "indicators-csv", Csv, $"{site}/data/indicators.csv", download: true),
                Distribution(self, "indicators-json", Json, $"{site}/api/indicators"),
                Distribution(self, "indicators-ngsi-ld", NgsiLd, $"{site}/ngsi-ld/v1/entities?type={KpiEntity.Type}", ngsiLd: true)
            ],
            Publication.CreditsOf(indicators));

    private static JsonObject Measurements(string site, string self, IReadOnlyList<PublishedIndicator> indicators) =>
        Dataset(self, "measurements",
            Text("公表済みの測定値", "Published measurements"),
            Text("全指標の、審査で承認された実績値（期間・時点・出典付き）。", "Every indicator's figures as approved in review, with period, date and source."),
            indicators, Keywords(), [Ref(Government)],
            [Distribution(self, "measurements-csv", Csv, $"{site}/data/measurements.csv", download: true)],
            Publication.CreditsOf(indicators));

    private static JsonObject Indicator(string site, string self, PublishedIndicator i)
    {
        var (areaJa, areaEn) = InBothLanguages.Of(() => Ui.Area(i.Area));
        var entity = $"{site}/ngsi-ld/v1/entities/{KpiEntity.IdOf(i.Id)}";
        var distributions = new List<JsonObject>
        {
            Distribution(self, $"{i.Id}-csv", Csv, $"{site}/data/indicators/{i.Id}.csv", download: true),
            Distribution(self, $"{i.Id}-json", Json, $"{site}/api/indicators/{i.Id}"),
            Distribution(self, $"{i.Id}-ngsi-ld", NgsiLd, entity, ngsiLd: true),
            Distribution(self, $"{i.Id}-ngsi-ld-temporal", NgsiLdHistory, $"{site}/ngsi-ld/v1/temporal/entities/{KpiEntity.IdOf(i.Id)}", ngsiLd: true)
        };
        var credits = Publication.CreditsOf([i]).ToList();
        if (i.Breakdown is not null)
        {
            distributions.Add(Distribution(self, $"{i.Id}-municipalities-json", Json, $"{site}/api/indicators/{i.Id}/municipalities"));
            credits.Add(Publication.MunicipalityNamesCredit);
        }
        var dataset = Dataset(self, i.Id, Text(i.NameJa, i.NameEn),
            Text($"施策「{i.PolicyJa}」の{(i.PlanIndicator ? "評価指標" : "参考指標")}（{areaJa}）", $"{(i.PlanIndicator ? "Indicator" : "Reference figure")} of the policy \"{i.PolicyEn}\" ({areaEn})"),
            [i], Keywords().Concat([Lang(areaJa, "ja"), Lang(areaEn, "en")]), [Ref(Government), Ref($"{self}#area-{Slug(i.Area)}")],
            distributions, credits);
        dataset["dcat:landingPage"] = Ref($"{site}/indicators/{i.Id}");
        dataset["dct:accrualPeriodicity"] = Ref(AccrualPeriodicity(i.Frequency));
        if (i.Figures.Count > 0)
            dataset["dct:temporal"] = new JsonObject
            {
                ["@type"] = "dct:PeriodOfTime",
                ["dcat:startDate"] = Date(i.Figures.Min(f => f.Period.Start)),
                ["dcat:endDate"] = Date(i.Figures.Max(f => f.Period.End))
            };
        return dataset;
    }

    private static JsonObject MunicipalityMap(string site, string self) =>
        Dataset(self, "municipality-map",
            Text("市町村別の地図", "Municipality map"),
            Text("179市町村の境界の地図に、市町村ごとの公表値と取組の状況を示すページ。", "A page mapping the 179 municipalities' boundaries with each one's published figures and recorded facts."),
            [], Keywords(), [Ref(Government)],
            [Distribution(self, "municipality-map-html", Html, $"{site}/municipalities")],
            [Publication.BoundariesCredit, Publication.MunicipalityNamesCredit]);

    private static JsonObject Dataset(string self, string name, JsonArray title, JsonArray description, IReadOnlyList<PublishedIndicator> covered,
        IEnumerable<JsonObject> keywords, IEnumerable<JsonObject> themes, IEnumerable<JsonObject> distributions, IEnumerable<string> credits)
    {
        var dataset = new JsonObject
        {
            ["@id"] = $"{self}#{name}",
            ["@type"] = "dcat:Dataset",
            ["dct:identifier"] = name,
            ["dct:title"] = title,
            ["dct:description"] = description,
            ["dct:publisher"] = Ref($"{self}#publisher"),
            ["dct:spatial"] = Ref($"{self}#hokkaido"),
            ["dcat:keyword"] = new JsonArray(keywords.Select(k => (JsonNode)k).ToArray()),
            ["dcat:theme"] = new JsonArray(themes.Select(t => (JsonNode)t).ToArray()),
        };
        if (Modified(covered) is { } modified) dataset["dct:modified"] = modified;
        var rights = credits.Distinct().Select(c => (JsonNode)new JsonObject { ["@type"] = "dct:RightsStatement", ["rdfs:label"] = Lang(c, "ja") }).ToArray();
        if (rights.Length > 0) dataset["dct:rights"] = new JsonArray(rights);
        dataset["dcat:distribution"] = new JsonArray(distributions.Select(d => (JsonNode)d).ToArray());
        return dataset;
    }

    /// <param name="download">A file to fetch whole (downloadURL too), not an API to query.</param>
    /// <param name="ngsiLd">An address of the catalogue's NGSI-LD service, whose entities follow the model's schema.</param>
    private static JsonObject Distribution(string self, string name, Format format, string url, bool download = false, bool ngsiLd = false)
    {
        var distribution = new JsonObject
        {
            ["@id"] = $"{self}#{name}",
            ["@type"] = "dcat:Distribution",
            ["dct:title"] = format.Title,
            ["dcat:accessURL"] = Ref(url),
            ["dcat:mediaType"] = Ref(Iana + format.MediaType),
            ["dct:format"] = Ref(Eu + "file-type/" + format.FileType),
            ["dct:license"] = Ref(Publication.Licence)
        };
        if (download) distribution["dcat:downloadURL"] = Ref(url);
        if (ngsiLd)
        {
            distribution["dcat:accessService"] = Ref($"{self}#ngsi-ld");
            distribution["dct:conformsTo"] = Ref(KpiEntity.Schema);
        }
        return distribution;
    }

    private static JsonObject NgsiLdService(string site, string self, IReadOnlyList<PublishedIndicator> indicators) => new()
    {
        ["@id"] = $"{self}#ngsi-ld",
        ["@type"] = "dcat:DataService",
        ["dct:title"] = Text("NGSI-LD API（読み取り専用）", "NGSI-LD API (read only)"),
        ["dct:description"] = Text(
            "ETSI GS CIM 009 の API で、指標ごとに FIWARE Smart Data Models の KeyPerformanceIndicator エンティティと、その公表値の履歴（temporal）を返します。",
            "ETSI GS CIM 009 API: a FIWARE Smart Data Models KeyPerformanceIndicator entity per indicator, and the history of its published values (temporal)."),
        ["dcat:endpointURL"] = Ref($"{site}/ngsi-ld/v1/"),
        ["dct:conformsTo"] = Ref(KpiEntity.Schema),
        ["dct:license"] = Ref(Publication.Licence),
        ["dcat:servesDataset"] = new JsonArray(new[] { "indicators" }.Concat(indicators.Select(i => i.Id)).Select(n => (JsonNode)Ref($"{self}#{n}")).ToArray())
    };

    private static JsonObject Publisher(string self) => new()
    {
        ["@id"] = $"{self}#publisher",
        ["@type"] = "foaf:Organization",
        ["foaf:name"] = Lang(Publication.Publisher, "ja")
    };

    private static JsonObject Hokkaido(string self) => new()
    {
        ["@id"] = $"{self}#hokkaido",
        ["@type"] = "dct:Location",
        ["skos:prefLabel"] = Text(Publication.Region, "Hokkaido")
    };

    /// <summary>The plan's five areas, as a theme scheme of its own: no shared vocabulary has them.</summary>
    private static JsonObject Areas(string self) => new()
    {
        ["@id"] = $"{self}#areas",
        ["@type"] = "skos:ConceptScheme",
        ["skos:prefLabel"] = Text("北海道Society5.0推進計画の分野", "Areas of the Hokkaido Society 5.0 plan"),
        ["skos:hasTopConcept"] = new JsonArray(Enum.GetValues<Area>().Select(area =>
        {
            var (ja, en) = InBothLanguages.Of(() => Ui.Area(area));
            return (JsonNode)new JsonObject
            {
                ["@id"] = $"{self}#area-{Slug(area)}", ["@type"] = "skos:Concept", ["skos:prefLabel"] = Text(ja, en),
                ["skos:inScheme"] = Ref($"{self}#areas")
            };
        }).ToArray())
    };

    private static IEnumerable<JsonObject> Keywords() =>
        [Lang("Society 5.0", "en"), Lang(Publication.Region, "ja"), Lang("Hokkaido", "en"), Lang("評価指標", "ja"), Lang("KPI", "en")];

    private static JsonObject? Modified(IEnumerable<PublishedIndicator> indicators) =>
        indicators.Select(Publication.LastPublished).Max() is { } day ? Date(day) : null;

    private static string Slug(Area area) => area.ToString().ToLowerInvariant();

    private static JsonArray Text(string ja, string en) => new(Lang(ja, "ja"), Lang(en, "en"));

    private static JsonObject Lang(string value, string language) => new() { ["@value"] = value, ["@language"] = language };

    private static JsonObject Ref(string iri) => new() { ["@id"] = iri };

    private static JsonObject Date(DateOnly day) => new() { ["@value"] = Publication.Date(day), ["@type"] = "xsd:date" };
}
