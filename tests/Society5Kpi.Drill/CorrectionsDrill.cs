namespace Society5Kpi.Drill;

/// <summary>
/// 200 concurrent corrections of one published figure with expectedVersion, over HTTP to the app on Kestrel: exactly one
/// wins, 199 get 409; then 200 clients that retry with the fresh version until they win: all win, in turn. The stream
/// has no gap and no duplicate version either way.
/// </summary>
public sealed class CorrectionsDrill : IFaultDrill
{
    public const int Racers = 200;

    public string Name => "corrections";
    public int Order => 40;

    public async Task<DrillOutcome> RunAsync(TextWriter log)
    {
        await using var app = await AppOnKestrel.StartAsync(log);
        var race = new CorrectionsRace(app.Target, log);
        var sameVersion = await race.SameVersionAsync(await race.PublishedFigureAsync(), Racers);
        var retrying = await race.RetryUntilWonAsync(await race.PublishedFigureAsync(), Racers, TimeSpan.FromMinutes(5));
        return new DrillOutcome(sameVersion.Passed && retrying.Passed,
            "## Racing corrections of one figure\n\n" +
            $"`ops/drill corrections`: the app on Kestrel (loopback) on its own PostgreSQL with the seeded plan; an editor's figure of " +
            $"{CorrectionsRace.Indicator}, published, then corrected by {Racers} concurrent clients, each sending the version it read as " +
            "expectedVersion. Checked against mt_events and mt_streams.\n\n" + sameVersion.Markdown() + "\n" + retrying.Markdown());
    }
}
