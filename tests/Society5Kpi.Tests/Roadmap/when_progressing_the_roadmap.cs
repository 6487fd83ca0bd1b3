using System.Collections.Immutable;
using Alba;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Roadmap;
using Society5Kpi.Roadmap.Planning;
using Society5Kpi.Roadmap.Progressing;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Roadmap;

public class when_progressing_the_roadmap(AppFixture app) : AppSpecification(app)
{
    private const string Inventory = "RM-08"; // more municipalities doing open data: planned FY2022, no progress reported by the documents

    protected override bool StartsFromTheSeededPlan => true;

    private Task<IScenarioResult> Report(string code, object body, int expectedStatus) => Host.Scenario(s =>
    {
        s.As(TestUsers.Editor).Post.Json(body).ToUrl($"/api/roadmap/{code}/progress");
        s.StatusCodeShouldBe(expectedStatus);
    });

    private async Task<RoadmapItem> Item(string code) => (await Host.GetAsJson<RoadmapItem>($"/api/roadmap/{code}"))!;

    [Fact]
    public async Task an_item_started_and_completed_shows_its_actual_years_and_keeps_its_links()
    {
        var before = await Item(Inventory);
        before.State.ShouldBe(RoadmapState.Planned);
        before.ActualStart.ShouldBeNull();
        before.Plan.LinkedIndicators.ShouldBe(["DAT-01"]);

        await Report(Inventory, new { kind = "Started", fiscalYear = "FY2023", note = "令和5年12月5日～" }, 200);
        var started = await Item(Inventory);
        started.ActualStart.ShouldBe(Period.FiscalYear(2023));
        started.State.ShouldBe(RoadmapState.InProgress);

        var result = await Report(Inventory, new { kind = "Completed", fiscalYear = "FY2023" }, 200);
        var completed = await Item(Inventory);
        completed.ActualEnd.ShouldBe(Period.FiscalYear(2023));
        completed.State.ShouldBe(RoadmapState.Completed);
        completed.Version.ShouldBe(result.ReadAsJson<RoadmapItemChanged>()!.Version);
        completed.Plan.LinkedIndicators.ShouldBe(["DAT-01"]);

        await using var session = App.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Inventory);
        var start = events.Select(e => e.Data).OfType<RoadmapItemStarted>().Single();
        start.By.ShouldBe(TestUsers.Editor);
        start.Note.ShouldBe("令和5年12月5日～");
    }

    [Fact]
    public async Task what_the_documents_report_is_told_by_the_roadmap_with_its_dates_and_source()
    {
        // The data inventory was planned for FY2022 and carried out 2023-12-05 to 12-25 (document 003).
        var inventory = await Item("RM-02");
        inventory.ActualStart.ShouldBe(Period.FiscalYear(2023));
        inventory.ActualEnd.ShouldBe(Period.FiscalYear(2023));
        inventory.State.ShouldBe(RoadmapState.Completed);
        inventory.Progress.Select(p => (p.Kind, p.On)).ShouldBe(
            [(RoadmapProgressKind.Started, new DateOnly(2023, 12, 5)), (RoadmapProgressKind.Completed, new DateOnly(2023, 12, 25))]);
        inventory.Progress.ShouldAllBe(p => p.Source!.StartsWith("003_"));
        inventory.Progress[1].Note.ShouldNotBeNull().ShouldContain("約1000件");
    }

    [Fact]
    public async Task a_deferral_replaces_the_planned_years()
    {
        await Report("RM-15", new { kind = "Deferred", newPlannedFrom = "FY2030", newPlannedTo = "FY2031", reason = "予算未措置" }, 200);

        var item = await Item("RM-15");
        item.State.ShouldBe(RoadmapState.Deferred);
        item.ScheduledFrom.ShouldBe(Period.FiscalYear(2030));
        item.ScheduledTo.ShouldBe(Period.FiscalYear(2031));
        item.Plan.PlannedFrom.ShouldBe(Period.FiscalYear(2022)); // the document's plan is kept
        RoadmapSchedule.StateOn(item, JapanTime.Today(DateTimeOffset.UtcNow)).ShouldBe(RoadmapState.Deferred);
    }

    [Fact]
    public async Task the_roadmap_lists_every_item_by_code()
    {
        var items = (await Host.GetAsJson<RoadmapItem[]>("/api/roadmap"))!;
        items.Length.ShouldBe(37);
        items.Select(i => i.Id).ShouldBe(items.Select(i => i.Id).Order(StringComparer.Ordinal));
        items[0].Id.ShouldBe("RM-01");
    }

    [Fact]
    public async Task an_unknown_item_is_404_on_read() =>
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/roadmap/RM-99");
            s.StatusCodeShouldBe(404);
        });

    public static TheoryData<string, object, string> BadInput => new()
    {
        { "RM-99", new { kind = "Started", fiscalYear = "FY2023" }, "code" },
        { Inventory, new { fiscalYear = "FY2023" }, "kind" },
        { Inventory, new { kind = "Finished", fiscalYear = "FY2023" }, "kind" },
        { Inventory, new { kind = "Started" }, "fiscalYear" },
        { Inventory, new { kind = "Started", fiscalYear = "2023" }, "fiscalYear" },
        { Inventory, new { kind = "Completed", fiscalYear = "FY2023Q1" }, "fiscalYear" },
        { Inventory, new { kind = "Started", fiscalYear = "FY2099" }, "fiscalYear" },
        { Inventory, new { kind = "Deferred", newPlannedFrom = "FY2030" }, "reason" },
        { Inventory, new { kind = "Deferred", newPlannedFrom = "2030", reason = "予算" }, "newPlannedFrom" },
        { Inventory, new { kind = "Deferred", newPlannedFrom = "FY2031", newPlannedTo = "FY2030", reason = "予算" }, "newPlannedTo" },
        { Inventory, new { kind = "Deferred", newPlannedFrom = "FY2030", newPlannedTo = "2031", reason = "予算" }, "newPlannedTo" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task bad_input_is_refused_with_the_field_named_and_nothing_is_written(string code, object body, string field) =>
        await RefusedWith(code, body, field);

    public static TheoryData<object, object, string> RefusedAfter => new()
    {
        { new { kind = "Started", fiscalYear = "FY2023" }, new { kind = "Started", fiscalYear = "FY2024" }, "kind" },
        { new { kind = "Completed", fiscalYear = "FY2023" }, new { kind = "Completed", fiscalYear = "FY2024" }, "kind" },
        { new { kind = "Completed", fiscalYear = "FY2023" }, new { kind = "Deferred", newPlannedTo = "FY2030", reason = "予算" }, "kind" },
        { new { kind = "Started", fiscalYear = "FY2023" }, new { kind = "Completed", fiscalYear = "FY2022" }, "fiscalYear" },
        { new { kind = "Started", fiscalYear = "FY2023" }, new { kind = "Deferred", newPlannedFrom = "FY2030", reason = "予算" }, "newPlannedFrom" },
    };

    [Theory]
    [MemberData(nameof(RefusedAfter))]
    public async Task what_contradicts_the_reported_progress_is_refused(object first, object second, string field)
    {
        await Report(Inventory, first, 200);
        await RefusedWith(Inventory, second, field);
    }

    private Task RefusedWith(string code, object body, string field) => App.ShouldBeRefusedAsync(() => Report(code, body, 400), field);

    [Fact]
    public async Task a_writer_that_saw_an_older_version_gets_409_and_nothing_is_written()
    {
        var seen = (await Item(Inventory)).Version;
        await Report(Inventory, new { kind = "Started", fiscalYear = "FY2023", expectedVersion = seen }, 200);

        await Report(Inventory, new { kind = "Completed", fiscalYear = "FY2023", expectedVersion = seen }, 409);

        (await Item(Inventory)).ActualEnd.ShouldBeNull();
    }
}

/// <summary>Lateness is judged against a day; no database needed.</summary>
public class when_judging_whether_a_roadmap_item_is_late
{
    private static RoadmapItem Planned(int? from, int? to) => RoadmapItem.Create(new RoadmapItemPlanned(
        "RM-90", RoadmapTrack.DataRoadmap, "道庁", "試験", "Test",
        from is { } f ? Period.FiscalYear(f) : null, to is { } t ? Period.FiscalYear(t) : null,
        ImmutableArray.Create("DAT-01"), null, null));

    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;
    private static RoadmapItem Started(RoadmapItem item, int year) => item.Apply(new RoadmapItemStarted(item.Id, Period.FiscalYear(year), null, "spec", At));
    private static RoadmapItem Completed(RoadmapItem item, int year) => item.Apply(new RoadmapItemCompleted(item.Id, Period.FiscalYear(year), null, "spec", At));
    private static RoadmapItem Deferred(RoadmapItem item, int? from, int? to) => item.Apply(new RoadmapItemDeferred(item.Id,
        from is { } f ? Period.FiscalYear(f) : null, to is { } t ? Period.FiscalYear(t) : null, "予算", "spec", At));

    private static RoadmapState On(RoadmapItem item, int year, int month, int day) => RoadmapSchedule.StateOn(item, new DateOnly(year, month, day));

    [Fact]
    public void not_started_once_its_first_fiscal_year_has_begun_is_late()
    {
        var item = Planned(2024, 2025);
        On(item, 2024, 3, 31).ShouldBe(RoadmapState.Planned);
        On(item, 2024, 4, 1).ShouldBe(RoadmapState.Late);
    }

    [Fact]
    public void not_completed_after_its_last_fiscal_year_is_late()
    {
        var item = Started(Planned(2024, 2025), 2024);
        On(item, 2026, 3, 31).ShouldBe(RoadmapState.InProgress);
        On(item, 2026, 4, 1).ShouldBe(RoadmapState.Late);
    }

    [Fact]
    public void completed_is_never_late_even_if_completed_after_the_plan() =>
        On(Completed(Started(Planned(2022, 2022), 2023), 2024), 2030, 1, 1).ShouldBe(RoadmapState.Completed);

    [Fact]
    public void an_item_without_planned_years_is_never_late()
    {
        var item = Planned(null, null);
        On(item, 2099, 1, 1).ShouldBe(RoadmapState.Planned);
        On(Started(item, 2023), 2099, 1, 1).ShouldBe(RoadmapState.InProgress);
    }

    [Fact]
    public void a_deferred_item_is_judged_against_its_new_years()
    {
        var item = Deferred(Planned(2022, 2022), 2027, 2028);
        On(item, 2026, 5, 1).ShouldBe(RoadmapState.Deferred);
        On(item, 2027, 4, 1).ShouldBe(RoadmapState.Late);
        On(Started(item, 2027), 2029, 4, 1).ShouldBe(RoadmapState.Late);
    }

    [Fact]
    public void an_item_deferred_without_new_years_is_never_late() =>
        On(Deferred(Planned(2022, 2022), null, null), 2099, 1, 1).ShouldBe(RoadmapState.Deferred);
}
