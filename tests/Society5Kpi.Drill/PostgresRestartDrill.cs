using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Society5Kpi.Accounts;
using Society5Kpi.Drill.Support;
using Society5Kpi.Infrastructure;
using Society5Kpi.Measurements.Recording;

namespace Society5Kpi.Drill;

/// <summary>
/// PostgreSQL is stopped for a few seconds and started again while editors record figures over HTTP. The service
/// must go red and then green by itself, and every write it acknowledged must be in the event store exactly once.
/// </summary>
public sealed class PostgresRestartDrill : IFaultDrill
{
    public string Name => "postgres-restart";
    public int Order => 1;

    private const string Source = "drill: postgres-restart";
    private const string Editor = "drill-editor";
    // One writer per indicator (counts and amounts: any whole number is a valid figure), so writers do not race on a stream.
    private static readonly string[] Indicators = ["IND-06", "INF-05", "LIV-06", "IND-04"];
    private static readonly TimeSpan WritingBefore = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan WritingAfterGreen = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private sealed record Attempt(string Note, TimeSpan SentAt, TimeSpan AnsweredAt, int? Status, string? Failure, Guid? MeasurementId, bool RetryAfter = false)
    {
        public bool Acknowledged => Status is >= 200 and < 300;
    }

    private sealed record HealthSample(TimeSpan At, int? Status);

    public async Task<DrillOutcome> RunAsync(TextWriter log)
    {
        var report = new Markdown("PostgreSQL restarted while figures are recorded (`postgres-restart`)");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await using var postgres = await LocalPostgres.StartTemporaryAsync();
            await Staff.CreateAccountAsync(postgres.ConnectionString, Editor, Roles.Editor, TimeSpan.FromSeconds(90));
            await using var app = await AppProcess.ServeAsync(postgres.ConnectionString, "drill-node", TimeSpan.FromSeconds(120));
            log.WriteLine($"app on {app.BaseAddress}, PostgreSQL on port {postgres.Port}");
            var writers = await Task.WhenAll(Indicators.Select(_ => Staff.SignInAsync(app.BaseAddress, Editor, RequestTimeout)));

            var clock = Stopwatch.StartNew();
            var attempts = new ConcurrentQueue<Attempt>();
            var health = new ConcurrentQueue<HealthSample>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(bound.Token);
            var writing = writers.Select((w, i) => WriteUntilStoppedAsync(w, Indicators[i], attempts, clock, stop.Token)).ToArray();
            var polling = PollHealthAsync(app.BaseAddress, health, clock, stop.Token);

            await Task.Delay(WritingBefore, bound.Token);
            var stoppedAt = clock.Elapsed;
            log.WriteLine($"{stoppedAt.TotalSeconds:F1} s: stopping PostgreSQL (pg_ctl stop -m fast) with {attempts.Count(a => a.Acknowledged)} writes acknowledged");
            await postgres.StopAsync();
            await Task.Delay(Down, bound.Token);
            var startingAt = clock.Elapsed;
            await postgres.StartAgainAsync();
            var upAt = clock.Elapsed;
            log.WriteLine($"{upAt.TotalSeconds:F1} s: PostgreSQL accepts connections again");

            var green = await FirstGreenAfterAsync(health, upAt, clock, RecoveryLimit, bound.Token);
            if (green is not null) await Task.Delay(WritingAfterGreen, bound.Token);
            await stop.CancelAsync();
            await Task.WhenAll(writing);
            await polling;
            writers.ToList().ForEach(w => w.Dispose());

            var stored = await EventStore.FiguresAsync(postgres.ConnectionString, Source);
            Judge(report, attempts.ToArray(), health.ToArray(), stored, stoppedAt, startingAt, upAt, green);
        }
        catch (Exception e)
        {
            log.WriteLine(e);
            return report.Outcome(e);
        }
        return report.Outcome();
    }

    private static void Judge(Markdown report, Attempt[] attempts, HealthSample[] health, IReadOnlyList<StoredFigure> stored,
        TimeSpan stoppedAt, TimeSpan startingAt, TimeSpan upAt, TimeSpan? green)
    {
        var outageEnd = green ?? TimeSpan.MaxValue;
        string PhaseOf(Attempt a) => a.AnsweredAt < stoppedAt ? "before the stop" : a.SentAt >= outageEnd ? "after health is green" : "during the outage";
        var acknowledged = attempts.Where(a => a.Acknowledged).ToArray();
        var refused = attempts.Where(a => !a.Acknowledged).ToArray();
        var storedByNote = stored.GroupBy(f => f.Note ?? "").ToDictionary(g => g.Key, g => g.ToArray());
        var lost = acknowledged.Where(a => !storedByNote.TryGetValue(a.Note, out var s) || s.All(f => f.MeasurementId != a.MeasurementId)).ToArray();
        var duplicated = storedByNote.Where(n => n.Value.Length > 1).ToArray();
        var refusedButWritten = refused.Where(a => storedByNote.ContainsKey(a.Note)).ToArray();
        var unanswered = refused.Where(a => a.Status is null).ToArray();
        var firstRed = health.FirstOrDefault(h => h.At >= stoppedAt && h.Status != 200);
        var lastRed = health.LastOrDefault(h => h.At >= stoppedAt && h.Status != 200 && (green is null || h.At < green));

        report.Line($"{Indicators.Length} editors record figures (one indicator each, one request after another) through " +
                    $"`POST /api/indicators/{{code}}/measurements` on the real app; `/health` is polled every 100 ms. After " +
                    $"{WritingBefore.TotalSeconds:0} s PostgreSQL is stopped (`pg_ctl stop -m fast`), left down {Down.TotalSeconds:0} s, " +
                    $"started again; the writers carry on until {WritingAfterGreen.TotalSeconds:0} s after `/health` is green. " +
                    "Every acknowledged write's measurement id is then looked up in `society5kpi.mt_events`.");
        report.Table(["moment", "seconds from the first write"],
        [
            ["PostgreSQL stopped", $"{stoppedAt.TotalSeconds:F1}"],
            ["`/health` first not 200", firstRed is null ? "never" : $"{firstRed.At.TotalSeconds:F1} ({Describe(firstRed.Status)})"],
            ["PostgreSQL started again", $"{startingAt.TotalSeconds:F1} (accepting connections at {upAt.TotalSeconds:F1})"],
            ["`/health` 200 again", green is null ? "never" : $"{green.Value.TotalSeconds:F1}"],
            ["recovery after PostgreSQL is back", green is null ? "none" : $"{(green.Value - upAt).TotalSeconds:F1} s"]
        ]);
        report.Table(["phase", "answers", "writes"],
            attempts.GroupBy(a => (Phase: PhaseOf(a), Answer: Describe(a.Status, a.Failure)))
                .OrderBy(g => g.Min(a => a.SentAt)).Select(g => new[] { g.Key.Phase, g.Key.Answer, g.Count().ToString() }));
        report.Line($"Writes: {attempts.Length} sent, {acknowledged.Length} acknowledged (2xx), {refused.Length} refused; " +
                    $"{stored.Count} of the drill's figures in `mt_events`.");

        report.Check("`/health` goes red while PostgreSQL is down", firstRed is not null,
            firstRed is null ? "always 200" : $"{Describe(firstRed.Status)} {(firstRed.At - stoppedAt).TotalSeconds:F1} s after the stop");
        report.Check($"`/health` green again by itself within {RecoveryLimit.TotalSeconds:0} s", green is not null,
            green is null ? "still red" : $"{(green.Value - upAt).TotalSeconds:F1} s after PostgreSQL accepted connections (last red sample at {lastRed?.At.TotalSeconds:F1} s)");
        report.Check("every acknowledged write is in `mt_events` (by its measurement id)", lost.Length == 0 && acknowledged.Length > 0,
            $"{acknowledged.Length - lost.Length} of {acknowledged.Length}" + (lost.Length > 0 ? $"; missing: {string.Join(", ", lost.Take(5).Select(a => a.Note))}" : ""));
        report.Check("no figure is stored twice", duplicated.Length == 0,
            duplicated.Length == 0 ? $"{stored.Count} figures, each once" : $"{duplicated.Length} twice or more, e.g. {duplicated[0].Key}");
        report.Check("every refused write got an HTTP answer (no hang up to the client's timeout)", unanswered.Length == 0,
            unanswered.Length == 0 ? $"{refused.Length} refusals, all with a status" : $"{unanswered.Length} without: {Describe(null, unanswered[0].Failure)}");
        var notRetryable = refused.Where(a => a.Status is not null && (a.Status != 503 || !a.RetryAfter)).ToArray();
        report.Check("a refused write is told to retry (503 with Retry-After), not a 500", notRetryable.Length == 0,
            notRetryable.Length == 0 ? $"{refused.Count(a => a.Status == 503)} answered 503 with Retry-After" : $"{notRetryable.Length} answered {string.Join(", ", notRetryable.Select(a => Describe(a.Status) + (a.RetryAfter ? "" : " without Retry-After")).Distinct())}");
        report.Check("a refused write is not written", refusedButWritten.Length == 0,
            refusedButWritten.Length == 0 ? $"none of {refused.Length}" : $"{refusedButWritten.Length} written after a {Describe(refusedButWritten[0].Status)}");
        var refusedOutside = refused.Where(a => PhaseOf(a) != "during the outage").ToArray();
        report.Check("writes are refused only during the outage", refusedOutside.Length == 0,
            refusedOutside.Length == 0 ? "none outside it" : $"{refusedOutside.Length}, e.g. {Describe(refusedOutside[0].Status, refusedOutside[0].Failure)} at {refusedOutside[0].SentAt.TotalSeconds:F1} s");
        var resumed = Indicators.Count(code => acknowledged.Any(a => a.Note.StartsWith(code + "#") && green is not null && a.SentAt >= green));
        report.Check("every writer is acknowledged again after recovery", resumed == Indicators.Length, $"{resumed} of {Indicators.Length} writers");
    }

    private static async Task WriteUntilStoppedAsync(Staff writer, string indicator, ConcurrentQueue<Attempt> attempts, Stopwatch clock, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var (period, asOf) = Staff.Month(n);
            var note = $"{indicator}#{n}";
            var sentAt = clock.Elapsed;
            try
            {
                // Not cancelled by the stop: a write in flight is answered, so that its outcome is known.
                using var response = await writer.RecordAsync(indicator, period, asOf, n, Source, note);
                var accepted = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<MeasurementAccepted>() : null;
                attempts.Enqueue(new Attempt(note, sentAt, clock.Elapsed, (int)response.StatusCode, null, accepted?.MeasurementId, response.Headers.RetryAfter is not null));
                if (!response.IsSuccessStatusCode) await Task.Delay(100, CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                attempts.Enqueue(new Attempt(note, sentAt, clock.Elapsed, null, e.GetType().Name, null));
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task PollHealthAsync(Uri app, ConcurrentQueue<HealthSample> samples, Stopwatch clock, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromSeconds(2) };
        while (!stop.IsCancellationRequested)
        {
            var at = clock.Elapsed;
            try
            {
                using var response = await http.GetAsync("/health", CancellationToken.None);
                samples.Enqueue(new HealthSample(at, (int)response.StatusCode));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                samples.Enqueue(new HealthSample(at, null));
            }
            try { await Task.Delay(100, stop); }
            catch (OperationCanceledException) { }
        }
    }

    private static async Task<TimeSpan?> FirstGreenAfterAsync(ConcurrentQueue<HealthSample> samples, TimeSpan after, Stopwatch clock,
        TimeSpan limit, CancellationToken ct)
    {
        while (clock.Elapsed < after + limit)
        {
            if (samples.FirstOrDefault(s => s.At >= after && s.Status == 200) is { } green) return green.At;
            await Task.Delay(100, ct);
        }
        return null;
    }

    private static string Describe(int? status, string? failure = null) => status is { } s ? $"HTTP {s}" : $"no answer ({failure ?? "timeout"})";
}
