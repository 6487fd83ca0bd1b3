using System.Diagnostics;
using Society5Kpi.Accounts;
using Society5Kpi.Drill.Support;
using Society5Kpi.Infrastructure;

namespace Society5Kpi.Drill;

/// <summary>
/// Two serving nodes on one database, the async daemon in HotCold mode: the projections run on the node that holds the
/// daemon's advisory lock. The leader is killed with SIGKILL while figures are recorded on the other node, which must
/// take the lock over and bring the history view (IndicatorTimelineProjection) up to the highest event. The command-line
/// verbs, run beside a serving node and on their own, must never take the lock.
/// </summary>
public sealed class TwoNodesDrill : IFaultDrill
{
    public string Name => "two-nodes";
    public int Order => 3;

    private const string Source = "drill: two-nodes";
    private const string Editor = "drill-editor";
    private static readonly string[] Nodes = ["node-a", "node-b"];
    private static readonly string[] Indicators = ["IND-06", "INF-05"];
    private const int FiguresPerPhase = 20;
    private static readonly TimeSpan TakeOverLimit = TimeSpan.FromSeconds(60);

    public async Task<DrillOutcome> RunAsync(TextWriter log)
    {
        var report = new Markdown("Two app nodes on one database, the projection leader killed (`two-nodes`)");
        var apps = new List<AppProcess>();
        try
        {
            await using var postgres = await LocalPostgres.StartTemporaryAsync();
            var db = postgres.ConnectionString;
            await Staff.CreateAccountAsync(db, Editor, Roles.Editor, TimeSpan.FromSeconds(90));
            // One after the other: the first imports the seeds, the second finds them imported.
            foreach (var node in Nodes) apps.Add(await AppProcess.ServeAsync(db, node, TimeSpan.FromSeconds(120)));

            var leadership = await WaitForOneLeaderAsync(db, Nodes, TimeSpan.FromSeconds(30));
            var leader = apps.Single(a => a.Name == leadership.Leader);
            var follower = apps.Single(a => a != leader);
            log.WriteLine($"leader {leader.Name} (locks {string.Join(", ", leadership.LockIds)}), follower {follower.Name}");
            var seededCaughtUp = await WaitForTimelineAsync(db, TimeSpan.FromSeconds(30));

            // The verbs beside a serving leader: they must take no daemon lock, and leave the leader's alone.
            var besideLeader = await ObserveVerbAsync(db, "verb-user-add", ["user", "add", "drill-reviewer", "--role", Roles.Reviewer], leadership.LockIds);
            var importBeside = await ObserveVerbAsync(db, "verb-import", ["import"], leadership.LockIds);
            var leaderAfterVerbs = await LeaderLocksAsync(db, Nodes, leadership.LockIds);

            using var editor = await Staff.SignInAsync(follower.BaseAddress, Editor, TimeSpan.FromSeconds(30));
            var before = Stopwatch.StartNew();
            await RecordAsync(editor, 0);
            var projectedBefore = await WaitForTimelineAsync(db, TimeSpan.FromSeconds(30));
            var lagBefore = before.Elapsed;

            leader.KillHard();
            var killed = Stopwatch.StartNew();
            log.WriteLine($"killed {leader.Name} (SIGKILL)");
            await RecordAsync(editor, FiguresPerPhase);
            var writtenAfterKill = killed.Elapsed;
            TimeSpan? released = null, tookLock = null, caughtUp = null;
            while (killed.Elapsed < TakeOverLimit && (tookLock is null || caughtUp is null))
            {
                // The killed node's session lives on in PostgreSQL until the server notices its client is gone.
                if (released is null && (await EventStore.AdvisoryLocksAsync(db, leader.Name)).Count == 0)
                    released = killed.Elapsed;
                if (tookLock is null && (await LeaderLocksAsync(db, Nodes, leadership.LockIds)).Any(l => l.ApplicationName == follower.Name))
                    tookLock = killed.Elapsed;
                if (caughtUp is null && await EventStore.TimelineProgressAsync(db) >= await EventStore.HighestSequenceAsync(db))
                    caughtUp = killed.Elapsed;
                await Task.Delay(100);
            }
            log.WriteLine($"{leader.Name}'s lock released after {released?.TotalSeconds:F1} s; {follower.Name}: lock after {tookLock?.TotalSeconds:F1} s, history view caught up after {caughtUp?.TotalSeconds:F1} s");

            // Nobody serves: a verb on its own would be the only daemon there is, if it ran one.
            await follower.DisposeAsync();
            var alone = await ObserveVerbAsync(db, "verb-import-alone", ["import"], leadership.LockIds);

            var highest = await EventStore.HighestSequenceAsync(db);
            var progress = await EventStore.TimelineProgressAsync(db);
            var missing = await EventStore.FiguresMissingFromTimelineAsync(db, Source);
            var figures = await EventStore.CountFiguresAsync(db, Source);

            report.Line("Nodes A and B serve the same database (each names itself in `application_name`); the daemon runs " +
                        "HotCold. The leader is the node whose session holds the daemon's advisory lock in `pg_locks` " +
                        "(Marten takes one per projection shard; Wolverine's own locks are on sessions it names `wolverine-...`), " +
                        $"and the history view's progress in `mt_event_progression` follows the highest event. {FiguresPerPhase} figures " +
                        "are recorded through the follower, then the leader gets SIGKILL and another " +
                        $"{FiguresPerPhase} are recorded through the follower at once. `user add` and `import` are run beside the " +
                        "serving leader and `import` once more with no node serving, while `pg_locks` is sampled every 50 ms.");
            report.Table(["moment", "seen"],
            [
                ["leader at the start", $"{leader.Name} (lock ids {string.Join(", ", leadership.LockIds)}); {follower.Name} holds none"],
                ["seeded events projected", seededCaughtUp is null ? "not within 30 s" : $"{seededCaughtUp.Value.TotalSeconds:F1} s after the leader was seen"],
                ["20 figures recorded, then projected", projectedBefore is null ? "not within 30 s" : $"{lagBefore.TotalSeconds:F1} s"],
                ["20 more figures recorded after the kill", $"{writtenAfterKill.TotalSeconds:F1} s after the kill"],
                [$"{leader.Name}'s lock released by PostgreSQL", released is null ? "never" : $"{released.Value.TotalSeconds:F1} s after the kill"],
                [$"{follower.Name} holds the daemon lock", tookLock is null ? "never" : $"{tookLock.Value.TotalSeconds:F1} s after the kill"],
                ["history view at the highest event again", caughtUp is null ? "never" : $"{caughtUp.Value.TotalSeconds:F1} s after the kill"],
                ["`user add` beside the leader", besideLeader.Verdict],
                ["`import` beside the leader", importBeside.Verdict],
                ["`import` with no node serving", alone.Verdict]
            ]);

            report.Check("exactly one node holds the daemon lock", leadership.Followers == 0,
                $"{leader.Name} holds {leadership.LockIds.Length} lock(s), {follower.Name} none");
            report.Check("the leader projects: the history view reaches the highest event", seededCaughtUp is not null && projectedBefore is not null,
                $"seeds {(seededCaughtUp is null ? "not" : "")} caught up; the first {FiguresPerPhase} figures in {lagBefore.TotalSeconds:F1} s");
            report.Check($"after the leader is killed the other node takes the lock within {TakeOverLimit.TotalSeconds:0} s", tookLock is not null,
                tookLock is null ? "never" : $"{tookLock.Value.TotalSeconds:F1} s");
            report.Check("and brings the history view up to the highest event", caughtUp is not null,
                caughtUp is null ? "never" : $"{caughtUp.Value.TotalSeconds:F1} s after the kill");
            report.Check("read models consistent with the events at the end", progress == highest && missing == 0 && figures == 2 * FiguresPerPhase,
                $"progress {progress} of {highest}; {figures} figures, {missing} without their history line");
            report.Check("`user add` and `import` beside the leader take no daemon lock, the leader keeps it",
                besideLeader.Passed && importBeside.Passed && leaderAfterVerbs.Count == leadership.LockIds.Length,
                $"none taken; the leader holds {leaderAfterVerbs.Count} of its {leadership.LockIds.Length} lock(s) after them");
            report.Check("`import` with no node serving takes no daemon lock either", alone.Passed,
            alone.DaemonLocksTaken.Length == 0 ? $"none taken in {alone.Samples} samples" : alone.Verdict);
        }
        catch (Exception e)
        {
            log.WriteLine(e);
            foreach (var app in apps) log.WriteLine($"--- {app.Name}:\n{app.Tail(15)}");
            return report.Outcome(e);
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
        return report.Outcome();
    }

    private sealed record Leadership(string Leader, long[] LockIds, int Followers);

    /// <summary>The node whose sessions hold advisory locks (the daemon's), once exactly one does.</summary>
    private static async Task<Leadership> WaitForOneLeaderAsync(string db, string[] nodes, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var byNode = (await EventStore.AdvisoryLocksAsync(db, nodes)).GroupBy(l => l.ApplicationName).ToArray();
            if (byNode.Length >= 1 || watch.Elapsed > limit)
            {
                if (byNode.Length == 0) throw new TimeoutException($"no node took the daemon's lock within {limit}");
                var leader = byNode.OrderByDescending(g => g.Count()).First();
                return new Leadership(leader.Key, leader.Select(l => l.LockId).Order().ToArray(), byNode.Length - 1);
            }
            await Task.Delay(200);
        }
    }

    private static async Task<IReadOnlyList<AdvisoryLock>> LeaderLocksAsync(string db, string[] nodes, long[] lockIds) =>
        (await EventStore.AdvisoryLocksAsync(db, nodes)).Where(l => lockIds.Contains(l.LockId)).ToArray();

    /// <summary>Waits until the history view has projected every event; how long that took, or null.</summary>
    private static async Task<TimeSpan?> WaitForTimelineAsync(string db, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (await EventStore.TimelineProgressAsync(db) >= await EventStore.HighestSequenceAsync(db)) return watch.Elapsed;
            await Task.Delay(100);
        }
        return null;
    }

    private async Task RecordAsync(Staff editor, int first)
    {
        for (var n = first; n < first + FiguresPerPhase; n++)
        {
            var (period, asOf) = Staff.Month(n);
            using var response = await editor.RecordAsync(Indicators[n % Indicators.Length], period, asOf, n, Source, $"figure {n}");
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"recording figure {n} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static readonly TimeSpan VerbLimit = TimeSpan.FromSeconds(90);

    private sealed record VerbObservation(int ExitCode, int Samples, long[] DaemonLocksTaken, long[] OtherLocks)
    {
        public bool Passed => ExitCode == 0 && Samples > 0 && DaemonLocksTaken.Length == 0;
        public string Verdict => $"exit {ExitCode}, {Samples} samples, daemon locks taken: " +
                                 (DaemonLocksTaken.Length == 0 ? "none" : string.Join(", ", DaemonLocksTaken)) +
                                 (OtherLocks.Length == 0 ? "" : $" (other advisory locks: {string.Join(", ", OtherLocks)})");
    }

    /// <summary>Runs a verb to its end while sampling pg_locks: which advisory locks its own sessions held.</summary>
    private static async Task<VerbObservation> ObserveVerbAsync(string db, string name, string[] arguments, long[] daemonLocks)
    {
        await using var verb = AppProcess.StartVerb(db, name, arguments,
            new Dictionary<string, string> { ["SOCIETY5KPI_PASSWORD"] = Staff.Password });
        var held = new HashSet<long>();
        var samples = 0;
        var watch = Stopwatch.StartNew();
        while (!verb.HasExited && watch.Elapsed < VerbLimit)
        {
            foreach (var l in await EventStore.AdvisoryLocksAsync(db, name)) held.Add(l.LockId);
            samples++;
            await Task.Delay(50);
        }
        var exitCode = await verb.WaitForExitAsync(TimeSpan.FromSeconds(5) + (VerbLimit - watch.Elapsed).Duration());
        // Schema migrations take advisory locks of their own: only the daemon's lock ids count.
        return new VerbObservation(exitCode, samples, held.Intersect(daemonLocks).Order().ToArray(), held.Except(daemonLocks).Order().ToArray());
    }
}
