using System.Text.Json.Nodes;
using Alba;
using Society5Kpi.Indicators;
using Society5Kpi.OpenData;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.OpenData;

/// <summary>
/// The DCAT catalogue of the plan's open data: what there is, at which addresses, in which formats, under which
/// licence, and the credit lines its sources ask for.
/// </summary>
public class when_reading_the_data_catalogue(AppFixture app) : AppSpecification(app)
{
    private const string Site = "http://localhost";

    protected override bool StartsFromTheSeededPlan => true;

    private async Task<JsonObject> Catalogue()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/catalog.jsonld");
            s.StatusCodeShouldBe(200);
        });
        result.Context.Response.ContentType.ShouldStartWith("application/ld+json");
        return JsonNode.Parse(result.ReadAsText())!.AsObject();
    }

    private static IReadOnlyList<JsonObject> Datasets(JsonObject catalogue) => catalogue["dcat:dataset"]!.AsArray().Select(d => d!.AsObject()).ToList();

    private static JsonObject Dataset(JsonObject catalogue, string identifier) =>
        Datasets(catalogue).Single(d => d["dct:identifier"]!.GetValue<string>() == identifier);

    private static IEnumerable<string> Texts(JsonNode? node, string language = "ja") =>
        node is JsonArray list ? list.SelectMany(n => Texts(n, language))
        : node?["@language"]?.GetValue<string>() == language ? [node["@value"]!.GetValue<string>()] : [];

    private static string Iri(JsonNode? node) => node!["@id"]!.GetValue<string>();

    [Fact]
    public async Task it_is_a_dcat_catalogue_in_japanese_and_english_under_cc_by_4()
    {
        var catalogue = await Catalogue();

        catalogue["@context"]!["dcat"]!.GetValue<string>().ShouldBe("http://www.w3.org/ns/dcat#");
        catalogue["@context"]!["dct"]!.GetValue<string>().ShouldBe("http://purl.org/dc/terms/");
        catalogue["@type"]!.GetValue<string>().ShouldBe("dcat:Catalog");
        catalogue["@id"]!.GetValue<string>().ShouldBe($"{Site}/catalog.jsonld");
        Texts(catalogue["dct:title"]).ShouldHaveSingleItem().ShouldContain("北海道Society5.0推進計画");
        Texts(catalogue["dct:title"], "en").ShouldHaveSingleItem().ShouldContain("Hokkaido Society 5.0");
        Texts(catalogue["dct:description"]).ShouldHaveSingleItem();
        Texts(catalogue["dct:description"], "en").ShouldHaveSingleItem();
        Iri(catalogue["dct:license"]).ShouldBe("https://creativecommons.org/licenses/by/4.0/");
        catalogue["dct:publisher"]!["@type"]!.GetValue<string>().ShouldBe("foaf:Organization");
        Texts(catalogue["dct:publisher"]!["foaf:name"]).ShouldBe(["北海道 総合政策部"]);
        Texts(catalogue["dct:spatial"]!["skos:prefLabel"]).ShouldBe(["北海道"]);
    }

    [Fact]
    public async Task it_lists_the_indicators_the_measurements_each_indicator_and_the_map_each_with_its_distributions()
    {
        var catalogue = await Catalogue();
        var datasets = Datasets(catalogue);

        datasets.Count.ShouldBe(2 + 36 + 1);
        datasets.ShouldAllBe(d => d["@type"]!.GetValue<string>() == "dcat:Dataset");
        foreach (var dataset in datasets)
        {
            var distributions = dataset["dcat:distribution"]!.AsArray();
            distributions.ShouldNotBeEmpty();
            foreach (var distribution in distributions)
            {
                distribution!["@type"]!.GetValue<string>().ShouldBe("dcat:Distribution");
                Iri(distribution["dcat:accessURL"]).ShouldStartWith($"{Site}/", customMessage: "absolute, on the host the request came to");
                Iri(distribution["dcat:mediaType"]).ShouldStartWith("https://www.iana.org/assignments/media-types/");
                Iri(distribution["dct:license"]).ShouldBe("https://creativecommons.org/licenses/by/4.0/");
            }
        }

        string[] Urls(string identifier) => Dataset(catalogue, identifier)["dcat:distribution"]!.AsArray().Select(d => Iri(d!["dcat:accessURL"])).ToArray();
        Urls("indicators").ShouldBe([$"{Site}/data/indicators.csv", $"{Site}/api/indicators", $"{Site}/ngsi-ld/v1/entities?type=KeyPerformanceIndicator"]);
        Urls("measurements").ShouldBe([$"{Site}/data/measurements.csv"]);
        Urls("DAT-01").ShouldBe(
        [
            $"{Site}/data/indicators/DAT-01.csv", $"{Site}/api/indicators/DAT-01", $"{Site}/ngsi-ld/v1/entities/{KpiEntity.IdOf("DAT-01")}",
            $"{Site}/ngsi-ld/v1/temporal/entities/{KpiEntity.IdOf("DAT-01")}"
        ]);
        Urls("ADM-03").ShouldContain($"{Site}/api/indicators/ADM-03/municipalities", "recorded per municipality too");

        var csv = Dataset(catalogue, "DAT-01")["dcat:distribution"]![0]!;
        Iri(csv["dcat:downloadURL"]).ShouldBe($"{Site}/data/indicators/DAT-01.csv");
        Iri(csv["dcat:mediaType"]).ShouldBe("https://www.iana.org/assignments/media-types/text/csv");
        var ngsi = Dataset(catalogue, "DAT-01")["dcat:distribution"]![2]!;
        Iri(ngsi["dcat:mediaType"]).ShouldBe("https://www.iana.org/assignments/media-types/application/ld+json");
        Iri(ngsi["dcat:accessService"]).ShouldBe($"{Site}/catalog.jsonld#ngsi-ld");
        Iri(catalogue["dcat:service"]![0]!["dcat:endpointURL"]).ShouldBe($"{Site}/ngsi-ld/v1/");
    }

    [Fact]
    public async Task an_indicators_dataset_says_how_often_it_changes_when_it_last_did_and_what_it_covers()
    {
        var catalogue = await Catalogue();
        var cards = Dataset(catalogue, "ADM-03");
        var openData = Dataset(catalogue, "DAT-01");

        Texts(cards["dct:title"]).ShouldBe(["マイナンバーカードの普及率"]);
        Texts(cards["dct:title"], "en").ShouldBe(["My Number Card penetration rate"]);
        Iri(cards["dct:accrualPeriodicity"]).ShouldBe("http://publications.europa.eu/resource/authority/frequency/MONTHLY");
        Iri(openData["dct:accrualPeriodicity"]).ShouldBe("http://publications.europa.eu/resource/authority/frequency/IRREG");
        Iri(Dataset(catalogue, "LIV-03")["dct:accrualPeriodicity"]).ShouldBe("http://publications.europa.eu/resource/authority/frequency/ANNUAL");
        cards["dct:modified"]!["@value"]!.GetValue<string>().ShouldBe("2023-01-01");
        cards["dct:temporal"]!["dcat:startDate"]!["@value"]!.GetValue<string>().ShouldBe("2017-03-01");
        cards["dct:temporal"]!["dcat:endDate"]!["@value"]!.GetValue<string>().ShouldBe("2022-12-31");
        Iri(cards["dcat:landingPage"]).ShouldBe($"{Site}/indicators/ADM-03");
        Texts(cards["dcat:keyword"]).ShouldContain("行政");
        cards["dcat:theme"]!.AsArray().Select(Iri).ShouldBe(
            ["http://publications.europa.eu/resource/authority/data-theme/GOVE", $"{Site}/catalog.jsonld#area-administration"]);

        var published = (await Host.GetAsJson<PublishedIndicator[]>("/api/indicators"))!;
        var latest = published.SelectMany(i => i.Figures.Select(f => f.PublishedOn)).Max();
        catalogue["dct:modified"]!["@value"]!.GetValue<string>().ShouldBe(latest.ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task the_card_series_and_the_map_carry_their_sources_credit_lines()
    {
        var catalogue = await Catalogue();
        string[] Credits(string identifier) =>
            (Dataset(catalogue, identifier)["dct:rights"]?.AsArray() ?? []).SelectMany(r => Texts(r!["rdfs:label"])).ToArray();

        Credits("ADM-03").ShouldContain("「マイナンバーカード交付状況について」（総務省）をもとに作成");
        Credits("measurements").ShouldContain("「マイナンバーカード交付状況について」（総務省）をもとに作成");
        Credits("municipality-map").ShouldContain("「国土数値情報（行政区域データ）」（国土交通省）を加工して作成");
        Credits("DAT-01").ShouldBeEmpty("its figures come from the prefecture's own documents");
    }
}
