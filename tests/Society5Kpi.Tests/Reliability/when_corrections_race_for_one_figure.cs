extern alias drill;
using drill::Society5Kpi.Drill;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Reliability;

/// <summary>
/// Corrections of one published figure sent at the same moment, each with the stream version its sender saw. The same
/// race as `ops/drill corrections` (CorrectionsRace), with fewer retrying clients to stay quick.
/// </summary>
public class when_corrections_race_for_one_figure(AppFixture app) : AppSpecification(app)
{
    protected override bool StartsFromTheSeededPlan => true;

    [Fact]
    public async Task it_lets_exactly_one_of_200_racing_the_same_version_win_and_tells_the_others_409()
    {
        var race = new CorrectionsRace(await StaffOverHttp.TargetAsync(App), TextWriter.Null);

        var outcome = await race.SameVersionAsync(await race.PublishedFigureAsync(), racers: 200);

        outcome.Statuses.ShouldBe(new Dictionary<int, int> { [200] = 1, [409] = 199 }, ignoreOrder: true, outcome.Markdown());
        outcome.Passed.ShouldBeTrue(outcome.Markdown());
    }

    [Fact]
    public async Task it_lets_every_client_win_in_turn_when_each_retries_with_the_fresh_version()
    {
        var race = new CorrectionsRace(await StaffOverHttp.TargetAsync(App), TextWriter.Null);

        var outcome = await race.RetryUntilWonAsync(await race.PublishedFigureAsync(), clients: 25, limit: TimeSpan.FromSeconds(60));

        outcome.Statuses.GetValueOrDefault(200).ShouldBe(25, outcome.Markdown());
        outcome.Statuses.Keys.ShouldBeSubsetOf([200, 409], outcome.Markdown());
        outcome.Passed.ShouldBeTrue(outcome.Markdown());
    }
}
