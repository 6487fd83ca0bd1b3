using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Municipalities.Registering;
using Society5Kpi.Roadmap.Planning;
using Society5Kpi.Seeds;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Seeds;

public class when_importing_the_plan(AppFixture app) : AppSpecification(app)
{
    private async Task<IReadOnlyList<IndicatorProgress>> Indicators(Area area)
    {
        await using var session = App.Store.QuerySession();
        return await session.Query<IndicatorProgress>().Where(i => i.Area == area && i.PlanIndicator).OrderBy(i => i.Id).ToListAsync();
    }

    private async Task<SeedImportReport> ImportCleanly()
    {
        var report = await App.ImportSeedsAsync();
        report.Errors.ShouldBeEmpty(string.Join("\n", report.Errors));
        return report;
    }

    [Fact]
    public async Task the_seeds_import_cleanly_into_an_empty_store()
    {
        var report = await ImportCleanly();
        report.MunicipalityEvents.ShouldBe(179);
        report.RoadmapEvents.ShouldBe(37);
        report.RoadmapProgressEvents.ShouldBe(5);
        // 7 figures from the plan's documents, the card series for Hokkaido (46) and for each municipality (8,234).
        report.MeasurementsRecorded.ShouldBe(7 + 46 + 8_234);

        await using var session = App.Store.QuerySession();
        (await session.Query<IndicatorProgress>().CountAsync(i => i.PlanIndicator)).ShouldBe(30);
        (await session.Query<Municipality>().CountAsync()).ShouldBe(179);
        (await session.Query<Municipality>().Select(m => m.Details.Subprefecture).Distinct().ToListAsync()).Count.ShouldBe(14);
        (await session.Query<RoadmapItem>().CountAsync()).ShouldBe(37);
    }

    [Fact]
    public async Task living_holds_its_eight_indicators()
    {
        await ImportCleanly();
        var living = await Indicators(Area.Living);
        living.Select(i => i.NameJa).ShouldBe(
        [
            "遠隔医療システム導入の促進", "介護ロボットの導入促進", "教育用コンピュータ1台当たりの児童生徒数",
            "授業にICTを活用して指導する能力があると回答した教員の割合", "安全・安心の確保に向けた未来技術活用の促進",
            "自動運転実証試験件数", "温室効果ガスの排出量", "リスク分散による企業立地件数"
        ]);
        var pupilsPerComputer = living.Single(i => i.Id == "LIV-03");
        pupilsPerComputer.Direction.ShouldBe(Direction.Decrease);
        pupilsPerComputer.Baseline.ShouldBe(new Baseline(4.8m, Period.FiscalYear(2019), null));
        pupilsPerComputer.Target.ShouldBe(new Target(1.0m, Period.FiscalYear(2025)));
        living.Single(i => i.Id == "LIV-07").Target!.Period.ShouldBe(Period.FiscalYear(2030));
        var companyLocations = living.Single(i => i.Id == "LIV-08");
        companyLocations.Measure.ShouldBe(Measure.Cumulative);
        companyLocations.Target.ShouldBe(new Target(125m, Period.FiscalYears(2020, 2024)));
        living.Count(i => i.Measure == Measure.Qualitative).ShouldBe(3);
    }

    [Fact]
    public async Task industry_holds_its_eleven_indicators()
    {
        await ImportCleanly();
        var industry = await Indicators(Area.Industry);
        industry.Count.ShouldBe(11);
        var farmOutput = industry.Single(i => i.NameJa == "農業産出額");
        farmOutput.Direction.ShouldBe(Direction.Floor);
        farmOutput.Baseline!.Period.ShouldBe(Period.CalendarYears(2012, 2018));
        farmOutput.Baseline.Basis.ShouldNotBeNullOrEmpty(); // average of H24-H30 without max and min
        industry.Single(i => i.Id == "IND-05").Baseline!.Value.ShouldBe(0m);
        industry.Where(i => i.NameJa.StartsWith("観光消費額")).Select(i => i.Target!.Value)
            .ShouldBe([15000m, 79000m, 209000m]);
    }

    [Fact]
    public async Task administration_holds_its_three_indicators()
    {
        await ImportCleanly();
        var administration = await Indicators(Area.Administration);
        administration.Select(i => i.Id).ShouldBe(["ADM-01", "ADM-02", "ADM-03"]);
        administration.Single(i => i.NameJa == "マイナンバーカードの普及率").Target.ShouldBe(new Target(100m, Period.FiscalYear(2022)));
        administration.Single(i => i.Id == "ADM-02").Baseline.ShouldBeNull(); // the plan gives "—"
    }

    [Fact]
    public async Task data_utilisation_holds_its_three_indicators_and_the_174_municipalities()
    {
        await ImportCleanly();
        var data = await Indicators(Area.Data);
        data.Count.ShouldBe(3);
        var openData = data.Single(i => i.Id == "DAT-01");
        openData.NameJa.ShouldBe("オープンデータ取組済の市町村数");
        openData.Baseline.ShouldBe(new Baseline(50m, Period.Month(2020, 8), null));
        openData.Target.ShouldBe(new Target(179m, Period.FiscalYear(2025)));
        openData.Latest!.Value.ShouldBe(174m);
        openData.Latest.AsOf.ShouldBe(new DateOnly(2024, 1, 31));
        openData.Latest.Source.ShouldNotBeNull().ShouldContain("003_");
    }

    [Fact]
    public async Task infrastructure_holds_its_five_indicators()
    {
        await ImportCleanly();
        var infrastructure = await Indicators(Area.Infrastructure);
        infrastructure.Count.ShouldBe(5);
        var fiber = infrastructure.Single(i => i.Id == "INF-02");
        fiber.Baseline.ShouldBe(new Baseline(98.1m, Period.Month(2019, 3), null));
        fiber.Target!.Value.ShouldBe(100m);
        var broadband = infrastructure.Single(i => i.Id == "INF-01");
        broadband.Direction.ShouldBe(Direction.Floor);
        broadband.Target!.Value.ShouldBe(150m);
    }

    [Fact]
    public async Task the_surveys_reported_in_the_documents_are_measurements_with_their_sources()
    {
        await ImportCleanly();
        await using var session = App.Store.QuerySession();
        var references = await session.Query<IndicatorProgress>().Where(i => !i.PlanIndicator).OrderBy(i => i.Id).ToListAsync();
        references.Select(i => i.Latest!.Value).ShouldBe([12m, 26m, 3m, 5m, 1000m, 3m]);
        references.ShouldAllBe(i => i.Latest!.Source != null && i.Latest.Source.Contains("003_"));
    }

    [Fact]
    public async Task importing_again_appends_nothing()
    {
        await ImportCleanly();
        var before = (await App.AllEventsAsync()).Count;

        var again = await ImportCleanly();

        again.EventsAppended.ShouldBe(0);
        (await App.AllEventsAsync()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_changed_target_appends_exactly_one_revision_and_keeps_the_history()
    {
        await ImportCleanly();
        using var seeds = new SeedCopy();
        seeds.EditLine("indicators.csv", l => l.StartsWith("INF-05,"), l => l.Replace(",35000,FY2025,", ",36000,FY2025,"));
        var before = (await App.AllEventsAsync()).Count;

        var report = await App.ImportSeedsAsync(seeds.Directory);

        report.Errors.ShouldBeEmpty();
        report.EventsAppended.ShouldBe(1);
        var appended = (await App.AllEventsAsync()).Skip(before).Single();
        var revised = appended.Data.ShouldBeOfType<TargetRevised>();
        revised.Value.ShouldBe(36000m);
        revised.Reason.ShouldBe(SeedImporter.ChangedReason);
        await using var session = App.Store.QuerySession();
        (await session.Events.FetchStreamAsync("INF-05")).Select(e => e.Data).OfType<TargetSet>().Single().Value.ShouldBe(35000m);
        (await session.LoadAsync<IndicatorProgress>("INF-05"))!.Target!.Value.ShouldBe(36000m);
    }
}

public class when_a_seed_file_is_wrong(AppFixture app) : AppSpecification(app)
{
    private async Task RefusedWith(SeedCopy seeds, string file, int line, string column, string words)
    {
        var report = await App.ImportSeedsAsync(seeds.Directory);

        report.Succeeded.ShouldBeFalse();
        report.Errors.ShouldContain(e => e.File == file && e.Line == line && e.Column == column && e.Message.Contains(words),
            string.Join("\n", report.Errors));
        (await App.AllEventsAsync()).ShouldBeEmpty("nothing from a refused import is written");
    }

    [Fact]
    public async Task an_unknown_area_is_reported_with_file_and_line()
    {
        using var seeds = new SeedCopy();
        var line = seeds.EditLine("indicators.csv", l => l.StartsWith("IND-02,"), l => l.Replace("IND-02,industry,", "IND-02,fishing,"));
        await RefusedWith(seeds, "indicators.csv", line, "area", "unknown value 'fishing'");
    }

    [Fact]
    public async Task an_unparseable_number_is_reported_with_file_and_line()
    {
        using var seeds = new SeedCopy();
        var line = seeds.EditLine("indicators.csv", l => l.StartsWith("INF-05,"), l => l.Replace(",35000,FY2025,", ",3万5千,FY2025,"));
        await RefusedWith(seeds, "indicators.csv", line, "target_value", "'3万5千' is not a number");
    }

    [Fact]
    public async Task a_duplicate_code_is_reported_with_file_and_line()
    {
        using var seeds = new SeedCopy();
        var original = File.ReadAllLines(Path.Combine(seeds.Directory, "roadmap.csv")).First(l => l.StartsWith("RM-02,"));
        var line = seeds.AppendLine("roadmap.csv", original);
        await RefusedWith(seeds, "roadmap.csv", line, "code", "duplicate code 'RM-02'");
    }

    [Fact]
    public async Task a_target_year_before_the_baseline_year_is_reported_with_file_and_line()
    {
        using var seeds = new SeedCopy();
        var line = seeds.EditLine("indicators.csv", l => l.StartsWith("LIV-03,"), l => l.Replace(",1.0,FY2025,", ",1.0,FY2018,"));
        await RefusedWith(seeds, "indicators.csv", line, "target_period", "ends before the baseline period");
    }

    [Fact]
    public async Task a_measurement_of_an_unknown_indicator_is_reported_with_file_and_line()
    {
        using var seeds = new SeedCopy();
        var line = seeds.AppendLine("measurements.csv", "DAT-99,FY2023,2024-03-31,5,test,");
        await RefusedWith(seeds, "measurements.csv", line, "indicator_code", "no indicator 'DAT-99'");
    }

    [Fact]
    public async Task a_municipality_code_with_a_wrong_check_digit_is_reported()
    {
        using var seeds = new SeedCopy();
        var line = seeds.EditLine("municipalities.csv", l => l.StartsWith("011002,"), l => l.Replace("011002,", "011003,"));
        await RefusedWith(seeds, "municipalities.csv", line, "code", "check digit");
    }

    [Fact]
    public async Task a_changed_figure_in_the_seed_is_refused_once_it_is_recorded()
    {
        (await App.ImportSeedsAsync()).Succeeded.ShouldBeTrue();
        var before = (await App.AllEventsAsync()).Count;
        using var seeds = new SeedCopy();
        var line = seeds.EditLine("measurements.csv", l => l.StartsWith("DAT-01,"), l => l.Replace(",174,", ",175,"));

        var report = await App.ImportSeedsAsync(seeds.Directory);

        report.Errors.ShouldContain(e => e.Line == line && e.Column == "value" && e.Message.Contains("already recorded as 174"));
        (await App.AllEventsAsync()).Count.ShouldBe(before);
    }
}
