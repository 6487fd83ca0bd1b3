extern alias drill;
using drill::Society5Kpi.Drill;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Reliability;

/// <summary>
/// A few hundred generated malformed requests (fixed seed) against every endpoint of the routing table, as `ops/drill
/// fuzzing` sends thousands: never a 5xx, and a refused request leaves the store as it was.
/// </summary>
public class when_malformed_input_reaches_every_endpoint(AppFixture app) : AppSpecification(app)
{
    protected override bool StartsFromTheSeededPlan => true;

    [Fact]
    public async Task it_never_answers_5xx_and_a_refusal_writes_nothing()
    {
        // The run's failed sign-ins (all from the in-memory server's one "address") are counted at a day long past, so that
        // the throttle has forgotten them when the next specification signs in at today's time.
        App.Clock.SetJapanDay(new DateOnly(2025, 1, 6));
        var target = await StaffOverHttp.TargetAsync(App);

        var report = await new FuzzingRun(target, FuzzingDrill.DefaultSeed, TextWriter.Null).RunAsync(cases: 300);

        report.Failures.ShouldBeEmpty(report.Markdown());
        report.Endpoints.Count.ShouldBeGreaterThan(40, "the routing table, not a hand list");
        report.Passed.ShouldBeTrue(report.Markdown());
    }
}
