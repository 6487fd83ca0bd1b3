using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Society5Kpi.Measurements.Correcting;

namespace Society5Kpi.Drill;

/// <summary>What one race saw: every answer's status, the checks of the stream, and whether all promises held.</summary>
public sealed record RaceOutcome(string Name, bool Passed, IReadOnlyDictionary<int, int> Statuses, IReadOnlyList<string> Checks, TimeSpan Elapsed)
{
    public string StatusText => string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "no answer" : s.Key)}×{s.Value}"));

    public string Markdown() =>
        $"**{Name}**: {(Passed ? "passed" : "FAILED")} in {Elapsed.TotalSeconds:F1} s. Statuses: {StatusText}.\n\n" +
        string.Concat(Checks.Select(c => $"- {c}\n"));
}

/// <summary>
/// Many clients correcting the same published figure at the same moment, over HTTP, each sending the stream version it
/// saw (expectedVersion). The handler checks that version when it opens the stream; the loser of a commit race gets
/// Marten's ConcurrencyException, which Wolverine retries with a cooldown, and the retry, now seeing the winner's version,
/// is refused with a 409. Checked against the event store itself (mt_events), not against what the app answers.
/// </summary>
public sealed class CorrectionsRace(TargetApp app, TextWriter log)
{
    /// <summary>A percentage indicator of the seeded plan (fibre coverage): any corrected value between 0 and 100 is valid.</summary>
    public const string Indicator = "INF-02";

    /// <summary>An editor records a figure and a reviewer publishes it: the figure the racers correct.</summary>
    public async Task<Guid> PublishedFigureAsync()
    {
        using var http = app.NewClient();
        var recorded = await SendJsonAsync(http, $"/api/indicators/{Indicator}/measurements", TargetApp.Editor,
            new { period = "FY2023Q3", asOf = "2023-12-31", value = 40m, source = "総務省 ブロードバンド基盤整備率調査" });
        var id = Guid.Parse(recorded["measurementId"]!.GetValue<string>());
        await SendJsonAsync(http, $"/api/indicators/{Indicator}/measurements/{id}/submission", TargetApp.Editor, new { });
        await SendJsonAsync(http, $"/api/indicators/{Indicator}/measurements/{id}/approval", TargetApp.Reviewer, new { });
        return id;
    }

    /// <summary>All racers send the same expected version: exactly one may win, every other gets a 409 with problem details.</summary>
    public async Task<RaceOutcome> SameVersionAsync(Guid figure, int racers)
    {
        var watch = Stopwatch.StartNew();
        using var http = app.NewClient();
        var (version, _) = await SeenAsync(http, figure);
        var before = await StreamAsync();
        var start = new TaskCompletionSource();
        var answers = Enumerable.Range(0, racers).Select(async i =>
        {
            await start.Task;
            return await CorrectAsync(http, figure, ValueOf(i, 40m), version, $"race {i}");
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(answers);
        var after = await StreamAsync();
        var (_, valueNow) = await SeenAsync(http, figure);

        var checks = new List<(bool Ok, string Text)>();
        var winners = results.Where(r => r.Status is >= 200 and < 300).ToList();
        var conflicts = results.Count(r => r.Status == 409 && r.IsProblem);
        checks.Add((winners.Count == 1, $"{winners.Count} of {racers} racers won (expected exactly 1)"));
        checks.Add((conflicts == racers - 1, $"{conflicts} got 409 with problem details (expected {racers - 1})"));
        checks.Add((results.All(r => r.Status is < 500 and > 0), $"{results.Count(r => r.Status is >= 500 or 0)} answered 5xx or not at all"));
        var corrections = after.Corrections.Skip(before.Corrections.Count).ToList();
        checks.Add((corrections.Count == 1, $"{corrections.Count} correction event(s) appended to the stream (expected 1)"));
        checks.Add((after.Version == before.Version + 1, $"stream version {before.Version} → {after.Version}"));
        checks.Add(after.Contiguous);
        if (winners.Count == 1 && corrections.Count == 1)
        {
            var winner = winners[0];
            checks.Add((corrections[0].Value == winner.Value && valueNow == winner.Value,
                $"the winner's value {winner.Value} is the stored correction's ({corrections[0].Value}) and the figure's now ({valueNow})"));
        }
        return Outcome($"{racers} corrections racing with the same expectedVersion", results, checks, watch.Elapsed);
    }

    /// <summary>Each client reloads the version after a 409 and tries again, until it wins: every one wins once, in turn.</summary>
    public async Task<RaceOutcome> RetryUntilWonAsync(Guid figure, int clients, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        using var http = app.NewClient();
        var before = await StreamAsync();
        var deadline = DateTime.UtcNow + limit;
        var start = new TaskCompletionSource();
        var all = new List<Attempt>();
        var tasks = Enumerable.Range(0, clients).Select(async i =>
        {
            await start.Task;
            var rng = new Random(i);
            for (var tries = 1; DateTime.UtcNow < deadline; tries++)
            {
                var (version, _) = await SeenAsync(http, figure);
                var attempt = await CorrectAsync(http, figure, ValueOf(i, 60m), version, $"client {i}, try {tries}");
                lock (all) all.Add(attempt);
                if (attempt.Status != 409) return attempt;
                // Back off a little, more after each loss, so that the herd thins out.
                await Task.Delay(rng.Next(1 + 5 * Math.Min(tries, 20)));
            }
            return new Attempt(0, false, ValueOf(i, 60m), null, "the time limit passed");
        }).ToList();
        start.SetResult();
        var finals = await Task.WhenAll(tasks);
        var after = await StreamAsync();
        var (_, valueNow) = await SeenAsync(http, figure);

        var checks = new List<(bool Ok, string Text)>();
        var won = finals.Count(f => f.Status is >= 200 and < 300);
        checks.Add((won == clients, $"{won} of {clients} clients won (expected all), in {all.Count} attempts ({all.Count(a => a.Status == 409)} × 409 on the way)"));
        checks.Add((all.All(a => a.Status is < 500 and > 0), $"{all.Count(a => a.Status is >= 500 or 0)} attempts answered 5xx or not at all"));
        checks.Add((all.Where(a => a.Status == 409).All(a => a.IsProblem), "every 409 carried problem details"));
        var corrections = after.Corrections.Skip(before.Corrections.Count).ToList();
        checks.Add((corrections.Count == clients, $"{corrections.Count} correction events appended (expected {clients})"));
        checks.Add((corrections.Select(c => c.Value).Order().SequenceEqual(finals.Where(f => f.Status < 300).Select(f => f.Value).Order()),
            "the stored corrections are exactly the winners' values, each once"));
        checks.Add(after.Contiguous);
        var versions = finals.Where(f => f.Version is not null).Select(f => f.Version!.Value).ToList();
        checks.Add((versions.Distinct().Count() == versions.Count, "every winner was told a different stream version"));
        if (corrections.Count > 0)
            checks.Add((valueNow == corrections[^1].Value, $"the figure's value now ({valueNow}) is the last correction's ({corrections[^1].Value})"));
        return Outcome($"{clients} clients each retrying with the fresh version after a 409", all, checks, watch.Elapsed);
    }

    private RaceOutcome Outcome(string name, IEnumerable<Attempt> attempts, List<(bool Ok, string Text)> checks, TimeSpan elapsed)
    {
        var statuses = attempts.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        var outcome = new RaceOutcome(name, checks.All(c => c.Ok), statuses, checks.Select(c => (c.Ok ? "" : "**FAILED** ") + c.Text).ToList(), elapsed);
        log.WriteLine($"   {name}: {(outcome.Passed ? "passed" : "FAILED")}, {outcome.StatusText}");
        foreach (var check in outcome.Checks) log.WriteLine($"     {check}");
        foreach (var odd in attempts.Where(a => a.Status is not (>= 200 and < 300) and not 409).Take(5)) log.WriteLine($"     answer {odd.Status}: {odd.Answer}");
        return outcome;
    }

    private static decimal ValueOf(int client, decimal from) => from + (client + 1) * 0.01m;

    private sealed record Attempt(int Status, bool IsProblem, decimal Value, long? Version, string Answer);

    private async Task<Attempt> CorrectAsync(HttpClient http, Guid figure, decimal value, long expectedVersion, string reason)
    {
        using var request = app.Request(HttpMethod.Post, $"/api/indicators/{Indicator}/measurements/{figure}/corrections", TargetApp.Editor);
        request.Content = JsonContent.Create(new { value, reason, expectedVersion });
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" &&
                          JsonNode.Parse(text)?["detail"]?.GetValue<string>() is { Length: > 0 };
            long? version = response.IsSuccessStatusCode ? JsonNode.Parse(text)?["version"]?.GetValue<long>() : null;
            return new Attempt((int)response.StatusCode, problem, value, version, text.Length > 300 ? text[..300] : text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Attempt(0, false, value, null, e.Message);
        }
    }

    /// <summary>The stream version and the figure's value as the secretariat sees them (GET, drafts included).</summary>
    private async Task<(long Version, decimal Value)> SeenAsync(HttpClient http, Guid figure)
    {
        using var request = app.Request(HttpMethod.Get, $"/api/indicators/{Indicator}", TargetApp.Editor);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var indicator = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var entry = indicator["measurements"]!.AsArray().Single(m => m!["measurementId"]!.GetValue<string>() == figure.ToString());
        return (indicator["version"]!.GetValue<long>(), entry!["value"]!.GetValue<decimal>());
    }

    private async Task<JsonNode> SendJsonAsync(HttpClient http, string url, string user, object body)
    {
        using var request = app.Request(HttpMethod.Post, url, user);
        request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private sealed record StreamState(long Version, IReadOnlyList<MeasurementCorrected> Corrections, (bool Ok, string Text) Contiguous);

    /// <summary>The indicator's stream as stored: its versions straight from mt_events, its corrections in order.</summary>
    private async Task<StreamState> StreamAsync()
    {
        await using var connection = await app.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*), count(distinct version), coalesce(min(version), 0), coalesce(max(version), 0), " +
            "(select version from society5kpi.mt_streams where id = @id) from society5kpi.mt_events where stream_id = @id", connection);
        command.Parameters.AddWithValue("id", Indicator);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (rows, distinct, min, max, head) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        var contiguous = rows == distinct && min == 1 && max == rows && head == max;
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var corrections = (await session.Events.FetchStreamAsync(Indicator)).Select(e => e.Data).OfType<MeasurementCorrected>().ToList();
        return new StreamState(max, corrections, (contiguous,
            $"mt_events of {Indicator}: {rows} rows, versions {min}..{max}, {rows - distinct} duplicated, {max - min + 1 - distinct} missing; mt_streams says {head}"));
    }
}
