using Alba;
using Microsoft.AspNetCore.Mvc;
using Society5Kpi.Municipalities.RecordingFacts;
using Society5Kpi.Municipalities.Registering;
using Society5Kpi.Seeds;
using Society5Kpi.Tests.Support;
using Wolverine.Tracking;

namespace Society5Kpi.Tests.Municipalities;

public class when_recording_municipality_facts(AppFixture app) : AppSpecification(app)
{
    private const string Sapporo = "011002";  // 石狩振興局 (Ishikari)
    private const string Hakodate = "012025"; // 渡島総合振興局 (Oshima)
    private const string Otaru = "012033";    // 後志総合振興局 (Shiribeshi)
    private const string Unknown = "999999";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Tracked, so that the counts handler has counted all 179 registrations before the test starts.
        SeedImportReport? report = null;
        await Host.ExecuteAndWaitAsync(async () => report = await App.ImportSeedsAsync(), 60_000);
        report!.Errors.ShouldBeEmpty();
    }

    /// <summary>Posts a fact and waits until the events it forwards (the recount) have been handled.</summary>
    private async Task<MunicipalityFactRecorded> Record(string code, string fact, object body)
    {
        IScenarioResult? result = null;
        await Host.ExecuteAndWaitAsync(async () => result = await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(body).ToUrl($"/api/municipalities/{code}/{fact}");
            s.StatusCodeShouldBe(200);
        }), 10_000);
        return result!.ReadAsJson<MunicipalityFactRecorded>()!;
    }

    private Task<IScenarioResult> Refused(string code, string fact, object body, int expectedStatus) => Host.Scenario(s =>
    {
        s.As(TestUsers.Editor).Post.Json(body).ToUrl($"/api/municipalities/{code}/{fact}");
        s.StatusCodeShouldBe(expectedStatus);
    });

    private async Task<Municipality> Municipality(string code) =>
        (await Host.GetAsJson<Municipality>($"/api/municipalities/{code}"))!;

    private async Task<MunicipalityCounts> Counts(string? asOf = null) =>
        (await Host.GetAsJson<MunicipalityCounts>("/api/municipalities/counts" + (asOf is null ? "" : $"?asOf={asOf}")))!;

    [Fact]
    public async Task an_open_data_start_shows_on_the_municipality_and_raises_the_count_by_one()
    {
        var before = await Counts();
        before.Registered.ShouldBe(179);
        var version = (await Municipality(Sapporo)).Version;

        var recorded = await Record(Sapporo, "open-data-start",
            new { startedOn = "2014-10-01", portalUrl = "https://data.pf-sapporo.jp/", expectedVersion = version });

        recorded.Version.ShouldBe(version + 1);
        var sapporo = await Municipality(Sapporo);
        sapporo.OpenDataStartedOn.ShouldBe(new DateOnly(2014, 10, 1));
        sapporo.OpenDataPortalUrl.ShouldBe("https://data.pf-sapporo.jp/");
        sapporo.Version.ShouldBe(recorded.Version);

        var after = await Counts();
        after.OpenDataStarted.ShouldBe(before.OpenDataStarted + 1);
        after.Registered.ShouldBe(179);
        var ishikari = after.BySubprefecture.Single(s => s.SubprefectureRomaji == "Ishikari");
        ishikari.OpenDataStarted.ShouldBe(before.BySubprefecture.Single(s => s.SubprefectureRomaji == "Ishikari").OpenDataStarted + 1);
        after.BySubprefecture.Sum(s => s.OpenDataStarted).ShouldBe(after.OpenDataStarted);
    }

    [Fact]
    public async Task the_count_as_of_a_day_before_the_start_leaves_it_out()
    {
        await Record(Hakodate, "open-data-start", new { startedOn = "2019-04-01" });

        (await Counts("2019-03-31")).OpenDataStarted.ShouldBe(0);
        var onTheDay = await Counts("2019-04-01");
        onTheDay.OpenDataStarted.ShouldBe(1);
        onTheDay.AsOf.ShouldBe(new DateOnly(2019, 4, 1));
    }

    public static TheoryData<string, string, object, string> BadInput => new()
    {
        { Unknown, "open-data-start", new { startedOn = "2020-04-01" }, "code" },
        { Sapporo, "open-data-start", new { startedOn = "2099-01-01" }, "startedOn" },
        { Sapporo, "open-data-start", new { portalUrl = "https://data.pf-sapporo.jp/" }, "startedOn" },
        { Sapporo, "open-data-start", new { startedOn = "01/04/2020" }, "startedOn" },
        { Sapporo, "open-data-start", new { startedOn = "2020-04-01", portalUrl = "www.city.sapporo.jp" }, "portalUrl" },
        { Sapporo, "open-data-start", new { startedOn = "2020-04-01", portalUrl = "ftp://data.example.jp/" }, "portalUrl" },
        { Unknown, "data-linkage-platform", new { state = "Built", asOf = "2024-04-01" }, "code" },
        { Sapporo, "data-linkage-platform", new { state = "Maybe", asOf = "2024-04-01" }, "state" },
        { Sapporo, "data-linkage-platform", new { asOf = "2024-04-01" }, "state" },
        { Sapporo, "data-linkage-platform", new { state = "Built", asOf = "2099-01-01" }, "asOf" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task bad_input_is_refused_with_the_field_named_and_nothing_is_written(string code, string fact, object body, string field)
    {
        var problem = await App.ShouldBeRefusedAsync(() => Refused(code, fact, body, 400), field);
        if (field == "code") problem.Errors[field].ShouldContain(m => m.Contains(code));
    }

    [Fact]
    public async Task the_same_start_twice_is_refused_and_another_date_corrects_it()
    {
        await Record(Otaru, "open-data-start", new { startedOn = "2018-04-01" });
        var again = await App.ShouldBeRefusedAsync(() => Refused(Otaru, "open-data-start", new { startedOn = "2018-04-01" }, 400), "startedOn");
        again.Errors["startedOn"].ShouldContain(m => m.Contains("already recorded"));

        await Record(Otaru, "open-data-start", new { startedOn = "2017-10-01" });
        (await Municipality(Otaru)).OpenDataStartedOn.ShouldBe(new DateOnly(2017, 10, 1));
        (await Counts()).OpenDataStarted.ShouldBe(1);
        (await Counts("2017-12-31")).OpenDataStarted.ShouldBe(1);
    }

    [Fact]
    public async Task a_writer_that_saw_an_older_version_gets_409_and_nothing_is_written()
    {
        var seen = (await Municipality(Sapporo)).Version;
        await Record(Sapporo, "data-linkage-platform", new { state = "Planned", asOf = "2023-04-01", expectedVersion = seen });

        var result = await Refused(Sapporo, "open-data-start", new { startedOn = "2014-10-01", expectedVersion = seen }, 409);

        result.Context.Response.ContentType!.ShouldStartWith("application/problem+json");
        (await Municipality(Sapporo)).OpenDataStartedOn.ShouldBeNull();
    }

    [Fact]
    public async Task built_and_planned_platforms_are_counted_apart()
    {
        await Record(Sapporo, "data-linkage-platform", new { state = "Built", asOf = "2022-04-01", note = "札幌市ICT活用戦略" });
        await Record(Hakodate, "data-linkage-platform", new { state = "Planned", asOf = "2023-04-01" });
        await Record(Otaru, "data-linkage-platform", new { state = "Planned", asOf = "2021-04-01" });
        await Record(Otaru, "data-linkage-platform", new { state = "Built", asOf = "2024-04-01" });

        (await Municipality(Otaru)).DataLinkagePlatform.ShouldBe(new DataLinkagePlatformReport(DataLinkagePlatformState.Built, new DateOnly(2024, 4, 1)));
        var now = await Counts();
        now.DataLinkagePlatformBuilt.ShouldBe(2);
        now.DataLinkagePlatformBuiltOrPlanned.ShouldBe(3);
        now.OpenDataStarted.ShouldBe(0);
        var then = await Counts("2023-12-31");
        then.DataLinkagePlatformBuilt.ShouldBe(1);
        then.DataLinkagePlatformBuiltOrPlanned.ShouldBe(2);
    }

    [Fact]
    public async Task the_list_has_every_municipality_in_code_order_and_an_unknown_one_is_404()
    {
        var all = (await Host.GetAsJson<Municipality[]>("/api/municipalities"))!;
        all.Length.ShouldBe(179);
        all[0].Id.ShouldBe(Sapporo);
        all.Select(m => m.Id).ShouldBe(all.Select(m => m.Id).Order(StringComparer.Ordinal));

        await Host.Scenario(s =>
        {
            s.Get.Url($"/api/municipalities/{Unknown}");
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task a_malformed_as_of_date_is_400()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/api/municipalities/counts?asOf=31/03/2024");
            s.StatusCodeShouldBe(400);
        });
        result.ReadAsJson<ValidationProblemDetails>()!.Errors.Keys.ShouldContain("asOf");
    }
}

public class when_counting_municipalities
{
    private static Municipality Town(string code, string subprefecture, DateOnly? openData = null,
        DataLinkagePlatformState? platform = null, DateOnly? platformAsOf = null) => new()
    {
        Id = code,
        Details = new MunicipalityRegistered(code, code, code, code, MunicipalityKind.Town, subprefecture, subprefecture),
        OpenDataStartedOn = openData,
        DataLinkagePlatform = platform is { } state ? new DataLinkagePlatformReport(state, platformAsOf!.Value) : null
    };

    private static readonly Municipality[] Towns =
    [
        Town("012050", "Oshima", new DateOnly(2020, 4, 1), DataLinkagePlatformState.Built, new DateOnly(2023, 4, 1)),
        Town("011002", "Ishikari", new DateOnly(2014, 10, 1), DataLinkagePlatformState.Planned, new DateOnly(2022, 4, 1)),
        Town("012025", "Oshima"),
        Town("012033", "Shiribeshi", platform: DataLinkagePlatformState.Built, platformAsOf: new DateOnly(2021, 4, 1)),
    ];

    [Fact]
    public void every_fact_counts_without_a_date()
    {
        var counts = MunicipalityCounts.Of(Towns, null);

        counts.Id.ShouldBe(MunicipalityCounts.StoredId);
        counts.Registered.ShouldBe(4);
        counts.OpenDataStarted.ShouldBe(2);
        counts.DataLinkagePlatformBuilt.ShouldBe(2);
        counts.DataLinkagePlatformBuiltOrPlanned.ShouldBe(3);
        counts.BySubprefecture.ShouldBe([
            new SubprefectureOpenData("Ishikari", "Ishikari", 1, 1),
            new SubprefectureOpenData("Oshima", "Oshima", 2, 1),
            new SubprefectureOpenData("Shiribeshi", "Shiribeshi", 1, 0)
        ]);
    }

    [Fact]
    public void only_facts_dated_on_or_before_the_day_count()
    {
        var counts = MunicipalityCounts.Of(Towns, new DateOnly(2022, 4, 1));

        counts.Registered.ShouldBe(4);
        counts.OpenDataStarted.ShouldBe(2);
        counts.DataLinkagePlatformBuilt.ShouldBe(1);
        counts.DataLinkagePlatformBuiltOrPlanned.ShouldBe(2);
        MunicipalityCounts.Of(Towns, new DateOnly(2020, 3, 31)).OpenDataStarted.ShouldBe(1);
        MunicipalityCounts.Of([], null).BySubprefecture.ShouldBeEmpty();
    }
}
