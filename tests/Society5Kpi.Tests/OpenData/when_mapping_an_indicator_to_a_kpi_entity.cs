using System.Text.Json.Nodes;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.OpenData;

namespace Society5Kpi.Tests.OpenData;

/// <summary>
/// The mapping of an indicator's published view to a Smart Data Models KeyPerformanceIndicator entity: a pure function,
/// so each rule is shown on an indicator made for it.
/// </summary>
public class when_mapping_an_indicator_to_a_kpi_entity
{
    private const string Site = "https://kpi.example.jp";

    private static PublishedIndicator Indicator(
        string code = "DAT-09", Measure measure = Measure.Level, Direction direction = Direction.Increase,
        ReportingFrequency frequency = ReportingFrequency.Annual, string unit = "municipalities", string unitJa = "市町村",
        Baseline? baseline = null, Target? target = null, MunicipalBreakdown? breakdown = null, PublishedFigure[]? figures = null) =>
        new PublishedIndicator(code, Area.Data, "オープンデータの推進", "Promoting open data", "オープンデータ取組済の市町村数",
                "Municipalities doing open data", unit, unitJa, direction, measure, frequency, true, null, breakdown, null, "計画本文",
                baseline ?? new Baseline(50, Period.Month(2020, 8), null), target ?? new Target(179, Period.FiscalYear(2025)),
                [], null, null, null, null, null, [])
            .WithFigures(figures ?? []);

    private static PublishedFigure Figure(DateOnly asOf, Period period, decimal value, DateOnly? publishedOn = null, string source = "道 集計") =>
        new(Guid.NewGuid(), period, asOf, value, source, null, publishedOn ?? asOf.AddDays(1));

    private static readonly PublishedFigure January2024 = Figure(new DateOnly(2024, 1, 31), Period.Month(2024, 1), 174, new DateOnly(2024, 2, 15));

    private static JsonObject Normalized(PublishedIndicator i) => KpiEntity.Normalized(i, Site);
    private static JsonObject Simplified(PublishedIndicator i) => KpiEntity.Simplified(i, Site);

    [Fact]
    public void the_latest_published_figure_is_the_kpi_value_observed_on_its_as_of_day()
    {
        var indicator = Indicator(figures: [Figure(new DateOnly(2022, 3, 31), Period.FiscalYear(2021), 120), January2024]);

        var entity = Normalized(indicator);
        entity["id"]!.GetValue<string>().ShouldBe("urn:ngsi-ld:KeyPerformanceIndicator:hokkaido-society5:DAT-09");
        entity["type"]!.GetValue<string>().ShouldBe("KeyPerformanceIndicator");
        entity["kpiValue"]!["type"]!.GetValue<string>().ShouldBe("Property");
        entity["kpiValue"]!["value"]!.GetValue<decimal>().ShouldBe(174);
        entity["kpiValue"]!["observedAt"]!.GetValue<string>().ShouldBe("2024-01-31T00:00:00Z");
        entity["calculationPeriod"]!["value"]!["from"]!.GetValue<string>().ShouldBe("2024-01-01");
        entity["calculationPeriod"]!["value"]!["to"]!.GetValue<string>().ShouldBe("2024-01-31");
        // NGSI-LD's system attribute in the normalized form, the model's dateModified in the simplified one.
        entity["modifiedAt"]!.GetValue<string>().ShouldBe("2024-02-15T00:00:00Z");
        Simplified(indicator)["dateModified"]!.GetValue<string>().ShouldBe("2024-02-15T00:00:00Z");
        Simplified(indicator)["kpiValue"]!.GetValue<decimal>().ShouldBe(174);
    }

    [Fact]
    public void the_normalized_and_simplified_forms_carry_the_same_attributes_with_the_same_values()
    {
        var indicator = Indicator(figures: [January2024]);
        var normalized = Normalized(indicator);
        var simplified = Simplified(indicator);

        var attributes = normalized.Select(p => p.Key).Except(["id", "type", "modifiedAt"]).ToList();
        attributes.ShouldBe(simplified.Select(p => p.Key).Except(["id", "type", "dateModified"]).ToList());
        foreach (var name in attributes)
        {
            var value = normalized[name]!["value"]!;
            // A date is typed in the normalized form: {"@type": "Date", "@value": "2025-07-31"}.
            var bare = value is JsonObject typed && typed.ContainsKey("@value") ? typed["@value"]! : value;
            JsonNode.DeepEquals(bare, simplified[name]).ShouldBeTrue(name);
        }
    }

    [Fact]
    public void the_names_description_process_and_target_are_the_plans_words_in_japanese_and_english()
    {
        var entity = Simplified(Indicator(figures: [January2024]));

        entity["name"]!.GetValue<string>().ShouldBe("オープンデータ取組済の市町村数");
        entity["alternateName"]!.GetValue<string>().ShouldBe("Municipalities doing open data");
        entity["process"]!.GetValue<string>().ShouldBe("オープンデータの推進");
        var description = entity["description"]!.GetValue<string>();
        description.ShouldContain("「データの利活用」分野の評価指標");
        description.ShouldContain("area Data utilisation");
        description.ShouldContain("単位: 市町村");
        entity["businessTarget"]!.GetValue<string>().ShouldBe(
            "目標値 179 市町村（令和7年度）、基準値 50 市町村（令和2年8月） / target 179 municipalities (FY2025), baseline 50 municipalities (Aug 2020)");
        entity["category"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["quantitative"]);
        entity["organization"]!.GetValue<string>().ShouldBe("北海道 総合政策部");
        entity["areaServed"]!.GetValue<string>().ShouldBe("北海道");
        entity["address"]!["addressRegion"]!.GetValue<string>().ShouldBe("北海道");
        entity["source"]!.GetValue<string>().ShouldBe("道 集計", "the latest figure's source");
        entity["seeAlso"]!.AsArray().Select(u => u!.GetValue<string>()).ShouldBe([$"{Site}/indicators/DAT-09", $"{Site}/api/indicators/DAT-09"]);
    }

    [Theory]
    [InlineData(Status.Achieved, "veryGood")]
    [InlineData(Status.OnTrack, "good")]
    [InlineData(Status.AccelerationNeeded, "fair")]
    [InlineData(Status.LimitedProgress, "bad")]
    [InlineData(Status.OffTrack, "bad")]
    [InlineData(Status.Deterioration, "veryBad")]
    [InlineData(Status.NoDataYet, null)]
    [InlineData(Status.Qualitative, null)]
    [InlineData(Status.NotAssessed, null)]
    public void each_status_is_a_standing_on_the_models_scale_or_none_when_not_judged(Status status, string? standing) =>
        KpiEntity.Standing(status).ShouldBe(standing);

    [Fact]
    public void the_status_is_kept_exactly_beside_the_standing_with_the_method_that_judged_it()
    {
        // 50 (Aug 2020) → 174 (Jan 2024) grows faster than the path to 179 by FY2025 needs.
        var entity = Simplified(Indicator(figures: [January2024]));
        entity["status"]!.GetValue<string>().ShouldBe("OnTrack");
        entity["currentStanding"]!.GetValue<string>().ShouldBe("good");
        entity["statusMethod"]!.GetValue<string>().ShouldBe(IndicatorStatusRules.CagrMethod);
    }

    [Fact]
    public void a_reviewers_judgement_is_the_status_and_says_why_and_what_was_computed()
    {
        var indicator = Indicator(figures: [January2024]) with
        {
            StatusOverride = new PublishedStatusOverride(Status.AccelerationNeeded, "残り5市町村は小規模", new DateOnly(2024, 3, 1))
        };

        var entity = Simplified(indicator);
        entity["status"]!.GetValue<string>().ShouldBe("AccelerationNeeded");
        entity["currentStanding"]!.GetValue<string>().ShouldBe("fair");
        entity["statusMethod"]!.GetValue<string>().ShouldBe(
            $"Reviewer's judgement of 2024-03-01: 残り5市町村は小規模 (computed by {IndicatorStatusRules.CagrMethod}: OnTrack)");
        entity["dateModified"]!.GetValue<string>().ShouldBe("2024-03-01T00:00:00Z", "the judgement is the last thing published");
    }

    [Theory]
    [InlineData(ReportingFrequency.Annual, "yearly")]
    [InlineData(ReportingFrequency.Quarterly, "quarterly")]
    [InlineData(ReportingFrequency.Monthly, "monthly")]
    [InlineData(ReportingFrequency.Irregular, null)]
    public void the_reporting_frequency_is_the_models_calculation_frequency(ReportingFrequency frequency, string? expected)
    {
        KpiEntity.CalculationFrequency(frequency).ShouldBe(expected);
        var entity = Simplified(Indicator(frequency: frequency, figures: [January2024]));
        (entity["calculationFrequency"]?.GetValue<string>()).ShouldBe(expected);
    }

    [Fact]
    public void the_next_calculation_is_due_when_the_next_figure_would_be_overdue()
    {
        var entity = Normalized(Indicator(frequency: ReportingFrequency.Quarterly, figures: [January2024]));
        // A quarter and a quarter's grace after 2024-01-31.
        entity["dateNextCalculation"]!["value"]!.ToJsonString().ShouldBe("""{"@type":"Date","@value":"2024-07-31"}""");
        Simplified(Indicator(frequency: ReportingFrequency.Irregular, figures: [January2024])).ContainsKey("dateNextCalculation").ShouldBeFalse();
    }

    [Fact]
    public void a_rate_says_its_formula_and_its_percent_unit_code()
    {
        var cards = Indicator("ADM-09", unit: "%", unitJa: "%", frequency: ReportingFrequency.Monthly,
            baseline: new Baseline(13.5m, Period.FiscalYear(2019), null), target: new Target(100, Period.FiscalYear(2022)),
            breakdown: new MunicipalBreakdown(PrefectureFigure.Recorded, "交付枚数", "cards issued", "人口", "population"),
            figures: [Figure(new DateOnly(2022, 12, 31), Period.Month(2022, 12), 55.7m)]);

        var entity = Normalized(cards);
        entity["calculationFormula"]!["value"]!.GetValue<string>().ShouldBe("交付枚数 ÷ 人口 × 100 / cards issued ÷ population × 100");
        entity["calculationMethod"]!["value"]!.GetValue<string>().ShouldBe("manual", "the prefecture rate is the ministry's");
        entity["kpiValue"]!["unitCode"]!.GetValue<string>().ShouldBe("P1");

        var derived = Normalized(cards with { Breakdown = cards.Breakdown! with { PrefectureFigure = PrefectureFigure.Derived } });
        derived["calculationFormula"]!["value"]!.GetValue<string>().ShouldStartWith("Σ交付枚数 ÷ Σ人口 × 100（市町村の合計）");
        derived["calculationMethod"]!["value"]!.GetValue<string>().ShouldBe("automatic");
    }

    [Fact]
    public void a_cumulative_target_is_a_running_total_over_its_span()
    {
        var entity = Simplified(Indicator("IND-09", Measure.Cumulative, unit: "companies", unitJa: "社",
            baseline: new Baseline(73, Period.FiscalYears(2016, 2018), null), target: new Target(100, Period.FiscalYears(2020, 2024)),
            figures: [Figure(new DateOnly(2023, 3, 31), Period.FiscalYear(2022), 60)]));

        entity["calculationFormula"]!.GetValue<string>().ShouldBe("令和2年度～令和6年度の累計 / running total over FY2020-FY2024");
        entity["businessTarget"]!.GetValue<string>().ShouldStartWith("目標値（累計） 100 社（令和2年度～令和6年度）");
    }

    [Fact]
    public void a_floor_is_a_target_to_keep()
    {
        var entity = Simplified(Indicator("INF-09", direction: Direction.Floor, unit: "%", unitJa: "%",
            baseline: new Baseline(160, Period.FiscalYear(2019), null), target: new Target(150, Period.FiscalYear(2025)),
            figures: [Figure(new DateOnly(2023, 3, 31), Period.FiscalYear(2022), 140)]));

        entity["businessTarget"]!.GetValue<string>().ShouldStartWith("目標値 150 %以上を維持（令和7年度）");
        entity["businessTarget"]!.GetValue<string>().ShouldContain("target at least 150 % (FY2025)");
        entity["status"]!.GetValue<string>().ShouldBe("OffTrack");
    }

    [Fact]
    public void a_promotion_goal_is_qualitative_with_no_value_standing_or_target()
    {
        var goal = Indicator("LIV-09", Measure.Qualitative, Direction.None, unit: "", unitJa: "",
            baseline: new Baseline(null, Period.FiscalYear(2019), null), target: new Target(null, Period.FiscalYear(2025)));

        var entity = Simplified(goal);
        entity["category"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["qualitative"]);
        entity["status"]!.GetValue<string>().ShouldBe("Qualitative");
        foreach (var absent in new[] { "kpiValue", "currentStanding", "calculationPeriod", "businessTarget", "dateModified", "dateNextCalculation" })
            entity.ContainsKey(absent).ShouldBeFalse(absent);
        entity["source"]!.GetValue<string>().ShouldBe("計画本文", "before any figure, the document that defines it");
        entity["description"]!.GetValue<string>().ShouldNotContain("単位");
    }

    [Fact]
    public void every_form_of_these_indicators_validates_against_the_models_schema()
    {
        PublishedIndicator[] indicators =
        [
            Indicator(figures: [January2024]),
            Indicator("LIV-09", Measure.Qualitative, Direction.None, unit: "", unitJa: "", target: new Target(null, Period.FiscalYear(2025)))
        ];
        foreach (var indicator in indicators)
            KpiSchema.ProblemsWith(Simplified(indicator)).ShouldBeEmpty(indicator.Id);
    }

    [Theory]
    [InlineData("currentStanding", "\"excellent\"")]
    [InlineData("calculationFrequency", "\"irregular\"")]
    [InlineData("category", "[]")]
    // From the common schemas (GSMA-Commons): they are really resolved, and formats are checked.
    [InlineData("dateModified", "\"2024-01-31\"")]
    [InlineData("name", "42")]
    public void the_schema_check_refuses_what_the_model_does_not_allow(string attribute, string value)
    {
        var entity = Simplified(Indicator(figures: [January2024]));
        entity[attribute] = JsonNode.Parse(value);
        KpiSchema.ProblemsWith(entity).ShouldNotBeEmpty();
    }

    [Fact]
    public void the_published_history_is_an_instance_per_figure_oldest_first_or_value_time_pairs()
    {
        var figures = new[] { Figure(new DateOnly(2022, 3, 31), Period.FiscalYear(2021), 120), January2024 };
        var indicator = Indicator(figures: figures.Reverse().ToArray());

        var temporal = KpiEntity.Temporal(indicator, indicator.Figures);
        var instances = temporal["kpiValue"]!.AsArray();
        instances.Select(i => i!["value"]!.GetValue<decimal>()).ShouldBe([120m, 174m]);
        instances.Select(i => i!["observedAt"]!.GetValue<string>()).ShouldBe(["2022-03-31T00:00:00Z", "2024-01-31T00:00:00Z"]);
        instances[0]!["instanceId"]!.GetValue<string>().ShouldBe($"urn:ngsi-ld:Instance:{figures[0].MeasurementId}");

        KpiEntity.TemporalValues(indicator, indicator.Figures)["kpiValue"]!.ToJsonString()
            .ShouldBe("""{"type":"Property","values":[[120,"2022-03-31T00:00:00Z"],[174,"2024-01-31T00:00:00Z"]]}""");
        KpiEntity.Temporal(indicator, []).ContainsKey("kpiValue").ShouldBeFalse("no instance, no attribute");
    }

    [Theory]
    [InlineData("before", "2023-01-01T00:00:00Z", null, null, new[] { 120.0 })]
    [InlineData("after", "2022-03-31T00:00:00Z", null, null, new[] { 174.0 })]
    [InlineData("between", "2022-01-01T00:00:00Z", "2024-01-31T00:00:00Z", null, new[] { 120.0 })]
    [InlineData(null, null, null, "1", new[] { 174.0 })]
    public void a_temporal_query_keeps_the_instances_observed_in_its_time(string? timerel, string? timeAt, string? endTimeAt, string? lastN, double[] kept)
    {
        var (query, problem) = TemporalQuery.Parse(timerel, timeAt, endTimeAt, lastN);
        problem.ShouldBeNull();
        var figures = new[] { Figure(new DateOnly(2022, 3, 31), Period.FiscalYear(2021), 120), January2024 };
        query!.Select(figures).Select(f => (double)f.Value).ShouldBe(kept);
    }

    [Theory]
    [InlineData("during", "2023-01-01T00:00:00Z", null, null)]
    [InlineData("before", null, null, null)]
    [InlineData("before", "yesterday", null, null)]
    [InlineData("between", "2023-01-01T00:00:00Z", null, null)]
    [InlineData("between", "2023-01-01T00:00:00Z", "2022-01-01T00:00:00Z", null)]
    [InlineData(null, "2023-01-01T00:00:00Z", null, null)]
    [InlineData(null, null, null, "0")]
    public void a_temporal_query_that_does_not_say_a_time_is_refused(string? timerel, string? timeAt, string? endTimeAt, string? lastN) =>
        TemporalQuery.Parse(timerel, timeAt, endTimeAt, lastN).Problem.ShouldNotBeNull();

    [Fact]
    public void an_entity_id_names_the_indicator_code()
    {
        KpiEntity.CodeOf(KpiEntity.IdOf("ADM-03")).ShouldBe("ADM-03");
        KpiEntity.CodeOf("urn:ngsi-ld:KeyPerformanceIndicator:elsewhere:ADM-03").ShouldBeNull();
        KpiEntity.CodeOf("urn:ngsi-ld:KeyPerformanceIndicator:hokkaido-society5:").ShouldBeNull();
    }
}
