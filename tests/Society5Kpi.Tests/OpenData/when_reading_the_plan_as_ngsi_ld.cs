using System.Text.Json.Nodes;
using Alba;
using Society5Kpi.OpenData;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.OpenData;

/// <summary>
/// The seeded plan through the NGSI-LD API (ETSI GS CIM 009): a Smart Data Models KeyPerformanceIndicator entity per
/// indicator, the published history of its value, and only what was approved.
/// </summary>
public class when_reading_the_plan_as_ngsi_ld(AppFixture app) : AppSpecification(app)
{
    private const string Entities = "/ngsi-ld/v1/entities";
    private static readonly string OpenData = KpiEntity.IdOf("DAT-01");
    private static readonly string Cards = KpiEntity.IdOf("ADM-03");
    private const string ContextRel = "rel=\"http://www.w3.org/ns/json-ld#context\"";

    protected override bool StartsFromTheSeededPlan => true;

    private async Task<(IScenarioResult Result, JsonNode Body)> Get(string url, string? accept = null, int status = 200)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            if (accept is not null) s.WithRequestHeader("Accept", accept);
            s.StatusCodeShouldBe(status);
        });
        return (result, JsonNode.Parse(result.ReadAsText())!);
    }

    private async Task<JsonArray> List(string query) => (await Get($"{Entities}?{query}")).Body.AsArray();

    [Fact]
    public async Task every_indicator_is_an_entity_that_validates_against_the_models_schema()
    {
        var simplified = await List("type=KeyPerformanceIndicator&options=keyValues");
        simplified.Count.ShouldBe(36);
        simplified.Select(e => e!["id"]!.GetValue<string>()).ShouldBeUnique();
        foreach (var entity in simplified)
            KpiSchema.ProblemsWith(entity!).ShouldBeEmpty(entity!["id"]!.GetValue<string>());
        (await List("type=KeyPerformanceIndicator&options=simplified")).ToJsonString().ShouldBe(simplified.ToJsonString());
    }

    [SkippableFact]
    public async Task every_indicator_validates_against_the_models_own_schema_files_when_they_are_provided()
    {
        Skip.IfNot(KpiSchema.OfficialAvailable, KpiSchema.WhereTheOfficialSchemaGoes);
        foreach (var entity in await List("type=KeyPerformanceIndicator&options=keyValues"))
            KpiSchema.OfficialProblemsWith(entity!).ShouldBeEmpty(entity!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task in_the_normalized_form_every_attribute_is_a_property_with_a_value()
    {
        var normalized = await List("type=KeyPerformanceIndicator");
        normalized.Count.ShouldBe(36);
        foreach (var entity in normalized.Select(e => e!.AsObject()))
        {
            var id = entity["id"]!.GetValue<string>();
            id.ShouldStartWith("urn:ngsi-ld:KeyPerformanceIndicator:hokkaido-society5:");
            entity["type"]!.GetValue<string>().ShouldBe("KeyPerformanceIndicator");
            // id, type and the system attribute modifiedAt are the entity's own members; all else is an attribute.
            foreach (var (name, attribute) in entity.Where(p => p.Key is not ("id" or "type" or "modifiedAt")))
            {
                attribute!["type"]!.GetValue<string>().ShouldBeOneOf(["Property", "Relationship"], $"{id} {name}");
                attribute.AsObject().ContainsKey(attribute["type"]!.GetValue<string>() == "Property" ? "value" : "object").ShouldBeTrue($"{id} {name}");
            }
        }
    }

    [Fact]
    public async Task the_open_data_municipalities_entity_holds_the_latest_published_count_and_the_target()
    {
        var entity = (await Get($"{Entities}/{OpenData}")).Body;

        entity["id"]!.GetValue<string>().ShouldBe(OpenData);
        entity["name"]!["value"]!.GetValue<string>().ShouldBe("オープンデータ取組済の市町村数");
        entity["kpiValue"]!["value"]!.GetValue<decimal>().ShouldBe(174);
        entity["kpiValue"]!["observedAt"]!.GetValue<string>().ShouldBe("2024-01-31T00:00:00Z");
        entity["calculationPeriod"]!["value"]!.ToJsonString().ShouldBe("""{"from":"2024-01-01","to":"2024-01-31"}""");
        entity["businessTarget"]!["value"]!.GetValue<string>().ShouldStartWith("目標値 179 市町村（令和7年度）、基準値 50 市町村（令和2年8月）");
        entity["status"]!["value"]!.GetValue<string>().ShouldBe("OnTrack");
        entity["currentStanding"]!["value"]!.GetValue<string>().ShouldBe("good");
        entity.AsObject().ContainsKey("calculationFrequency").ShouldBeFalse("figures come irregularly: the model has no word for it");
    }

    [Fact]
    public async Task the_card_rate_entity_is_monthly_with_its_formula_its_source_and_its_next_figure_due()
    {
        var entity = (await Get($"{Entities}/{Cards}?options=keyValues")).Body;

        entity["kpiValue"]!.GetValue<decimal>().ShouldBe(55.7m);
        entity["calculationPeriod"]!.ToJsonString().ShouldBe("""{"from":"2022-12-01","to":"2022-12-31"}""");
        entity["calculationFrequency"]!.GetValue<string>().ShouldBe("monthly");
        entity["calculationFormula"]!.GetValue<string>().ShouldBe("交付枚数 ÷ 人口 × 100 / cards issued ÷ population × 100");
        entity["source"]!.GetValue<string>().ShouldBe("総務省「マイナンバーカード交付状況について」");
        entity["dateNextCalculation"]!.GetValue<string>().ShouldBe("2023-02-28");
        // Published the day after the count's date, as the ministry's figures are.
        entity["dateModified"]!.GetValue<string>().ShouldBe("2023-01-01T00:00:00Z");
        entity["businessTarget"]!.GetValue<string>().ShouldStartWith("目標値 100 %（令和4年度）");
    }

    [Fact]
    public async Task json_ld_is_sent_with_its_context_in_the_body_and_plain_json_with_the_context_in_a_link_header()
    {
        var (ld, entity) = await Get($"{Entities}/{OpenData}", accept: "application/ld+json");
        ld.Context.Response.ContentType.ShouldStartWith("application/ld+json");
        entity["@context"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe([KpiEntity.ModelContext, KpiEntity.CoreContext]);
        ld.Context.Response.Headers.ContainsKey("Link").ShouldBeFalse();

        var (ldList, list) = await Get($"{Entities}?type=KeyPerformanceIndicator", accept: "application/ld+json");
        ldList.Context.Response.ContentType.ShouldStartWith("application/ld+json");
        list.AsArray().ShouldAllBe(e => e!["@context"] != null);

        foreach (var accept in new[] { "application/json", null, "text/html,application/xhtml+xml,*/*;q=0.8" })
        {
            var (json, plain) = await Get($"{Entities}/{OpenData}", accept);
            json.Context.Response.ContentType.ShouldStartWith("application/json", customMessage: accept);
            plain.AsObject().ContainsKey("@context").ShouldBeFalse(accept);
            var link = json.Context.Response.Headers.Link.ToString();
            link.ShouldStartWith($"<{KpiEntity.ModelContext}>");
            link.ShouldContain(ContextRel);
            link.ShouldContain("type=\"application/ld+json\"");
        }

        // Whichever the caller prefers.
        (await Get($"{Entities}/{OpenData}", "application/json;q=0.5, application/ld+json")).Result.Context.Response.ContentType
            .ShouldStartWith("application/ld+json");
        await Host.Scenario(s =>
        {
            s.Get.Url($"{Entities}/{OpenData}");
            s.WithRequestHeader("Accept", "text/csv");
            s.StatusCodeShouldBe(406);
        });
    }

    [Fact]
    public async Task an_unknown_entity_is_an_ngsi_ld_resource_not_found_problem()
    {
        foreach (var url in new[]
                 {
                     $"{Entities}/{KpiEntity.IdOf("XXX-99")}", $"{Entities}/urn:ngsi-ld:KeyPerformanceIndicator:elsewhere:DAT-01",
                     $"/ngsi-ld/v1/temporal/entities/{KpiEntity.IdOf("XXX-99")}"
                 })
        {
            var (result, problem) = await Get(url, status: 404);
            result.Context.Response.ContentType.ShouldStartWith("application/json");
            problem["type"]!.GetValue<string>().ShouldBe("https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound");
            problem["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            problem["status"]!.GetValue<int>().ShouldBe(404);
        }

        var (_, notAUri) = await Get($"{Entities}/DAT-01", status: 400);
        notAUri["type"]!.GetValue<string>().ShouldBe("https://uri.etsi.org/ngsi-ld/errors/BadRequestData");
    }

    [Fact]
    public async Task the_type_filter_takes_the_short_name_or_the_full_type_and_another_type_matches_nothing()
    {
        (await List("type=KeyPerformanceIndicator")).Count.ShouldBe(36);
        (await List($"type={Uri.EscapeDataString(KpiEntity.TypeUri)}")).Count.ShouldBe(36);
        (await List("type=Building,KeyPerformanceIndicator")).Count.ShouldBe(36);
        (await List("type=Building")).ShouldBeEmpty();
        (await List("")).Count.ShouldBe(36, "no type: all there are");
    }

    [Fact]
    public async Task entities_are_paged_with_limit_and_offset_and_counted_on_request()
    {
        var all = await List("type=KeyPerformanceIndicator&options=keyValues");
        var (result, page) = await Get($"{Entities}?type=KeyPerformanceIndicator&options=keyValues&limit=10&offset=30&count=true");
        page.AsArray().Select(e => e!["id"]!.GetValue<string>()).ShouldBe(all.Skip(30).Select(e => e!["id"]!.GetValue<string>()));
        result.Context.Response.Headers["NGSILD-Results-Count"].ToString().ShouldBe("36");
        (await List("type=KeyPerformanceIndicator&limit=0")).ShouldBeEmpty();
        (await Get($"{Entities}?limit=-1", status: 400)).Body["type"]!.GetValue<string>().ShouldEndWith("/BadRequestData");
    }

    [Fact]
    public async Task the_temporal_view_of_the_open_data_count_is_its_published_history()
    {
        var (result, temporal) = await Get($"/ngsi-ld/v1/temporal/entities/{OpenData}");
        result.Context.Response.Headers.Link.ToString().ShouldContain(ContextRel);
        temporal["id"]!.GetValue<string>().ShouldBe(OpenData);
        var instance = temporal["kpiValue"]!.AsArray().ShouldHaveSingleItem()!;
        instance["type"]!.GetValue<string>().ShouldBe("Property");
        instance["value"]!.GetValue<decimal>().ShouldBe(174);
        instance["observedAt"]!.GetValue<string>().ShouldBe("2024-01-31T00:00:00Z");
        instance["instanceId"]!.GetValue<string>().ShouldStartWith("urn:ngsi-ld:Instance:");
    }

    [Fact]
    public async Task the_temporal_view_of_the_card_rate_is_its_46_published_figures_oldest_first()
    {
        var instances = (await Get($"/ngsi-ld/v1/temporal/entities/{Cards}")).Body["kpiValue"]!.AsArray();
        instances.Count.ShouldBe(46);
        var observed = instances.Select(i => DateTimeOffset.Parse(i!["observedAt"]!.GetValue<string>())).ToList();
        observed.ShouldBe(observed.Order().ToList());
        observed.Distinct().Count().ShouldBe(46);
        instances[0]!["observedAt"]!.GetValue<string>().ShouldBe("2017-03-08T00:00:00Z");
        instances[^1]!["value"]!.GetValue<decimal>().ShouldBe(55.7m);
        instances[^1]!["observedAt"]!.GetValue<string>().ShouldBe("2022-12-31T00:00:00Z");
        instances.ShouldAllBe(i => i!["unitCode"]!.GetValue<string>() == "P1");

        var values = (await Get($"/ngsi-ld/v1/temporal/entities/{Cards}?options=temporalValues", "application/ld+json")).Body;
        values["@context"].ShouldNotBeNull();
        var pairs = values["kpiValue"]!["values"]!.AsArray();
        pairs.Count.ShouldBe(46);
        pairs[^1]!.ToJsonString().ShouldBe("""[55.7,"2022-12-31T00:00:00Z"]""");
    }

    [Fact]
    public async Task the_temporal_view_is_filtered_by_time_and_a_malformed_time_is_refused()
    {
        async Task<IReadOnlyList<string>> Observed(string query) =>
            (await Get($"/ngsi-ld/v1/temporal/entities/{Cards}?{query}")).Body["kpiValue"]?.AsArray()
            .Select(i => i!["observedAt"]!.GetValue<string>()).ToList() ?? [];

        // The plan's baseline, 13.5 % counted on 2020-04-01, is not before itself: bounds are excluded.
        var before = await Observed("timerel=before&timeAt=2020-04-01T00:00:00Z");
        before.Count.ShouldBe(13);
        before[^1].ShouldBe("2020-03-01T00:00:00Z");
        (await Observed("timerel=after&timeAt=2022-09-30T00:00:00Z")).ShouldBe(["2022-10-31T00:00:00Z", "2022-11-30T00:00:00Z", "2022-12-31T00:00:00Z"]);
        (await Observed("timerel=between&timeAt=2022-01-01T00:00:00Z&endTimeAt=2022-06-30T00:00:00Z"))
            .ShouldBe(["2022-02-01T00:00:00Z", "2022-03-01T00:00:00Z", "2022-05-01T00:00:00Z", "2022-06-01T00:00:00Z"]);
        (await Observed("lastN=2")).ShouldBe(["2022-11-30T00:00:00Z", "2022-12-31T00:00:00Z"]);
        (await Observed("timerel=after&timeAt=2030-01-01T00:00:00Z")).ShouldBeEmpty();

        (await Get($"/ngsi-ld/v1/temporal/entities/{Cards}?timerel=after", status: 400)).Body["type"]!.GetValue<string>()
            .ShouldBe("https://uri.etsi.org/ngsi-ld/errors/BadRequestData");
    }

    [Fact]
    public async Task a_newly_approved_figure_joins_the_history_at_its_date_and_a_draft_does_not()
    {
        await Host.RecordPublishedAsync("ADM-03", new { period = "2023-01", asOf = "2023-01-31", value = 58.1, source = "総務省" });
        await Host.RecordAsync("ADM-03", new { period = "2023-02", asOf = "2023-02-28", value = 59.9, source = "総務省" });

        var instances = (await Get($"/ngsi-ld/v1/temporal/entities/{Cards}")).Body["kpiValue"]!.AsArray();
        instances.Count.ShouldBe(47);
        instances[^1]!["value"]!.GetValue<decimal>().ShouldBe(58.1m);
        instances[^1]!["observedAt"]!.GetValue<string>().ShouldBe("2023-01-31T00:00:00Z");
        (await Get($"{Entities}/{Cards}?options=keyValues")).Body["kpiValue"]!.GetValue<decimal>().ShouldBe(58.1m);
    }
}
