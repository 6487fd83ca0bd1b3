using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Society5Kpi.Drill;

/// <summary>A case that broke a promise: a 5xx, no answer, or something written although the request was refused.</summary>
public sealed record FuzzFailure(int Seed, FuzzCase Case, string Problem, string Answer)
{
    public override string ToString() =>
        $"seed {Seed} case {Case.Index}: {Case.Method} {FuzzingCases.Show(Case.Url)} as {Case.User ?? "anonymous"} ({Case.What}) → {Problem}: " +
        (Answer.Length > 600 ? Answer[..600] + "…" : Answer).ReplaceLineEndings(" ");
}

/// <summary>
/// The exceptions the app's pipeline met while serving (ASP.NET Core reports them on its diagnostic listener), so that a
/// 5xx in the report names its cause and not only its status. The app runs in this process in the drill and the tests.
/// </summary>
public sealed class ServerExceptions : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable _subscription;
    private readonly List<IDisposable> _listeners = [];
    private Exception? _last;

    public ServerExceptions() => _subscription = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>The last exception seen since the previous call, and forgets it.</summary>
    public Exception? Take() => Interlocked.Exchange(ref _last, null);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "Microsoft.AspNetCore") lock (_listeners) _listeners.Add(listener.Subscribe(this, name => name.Contains("Exception")));
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        const System.Reflection.BindingFlags Any = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase;
        if (value.Value?.GetType().GetProperty("exception", Any)?.GetValue(value.Value) is Exception e) _last = e;
    }

    public void OnCompleted() { }
    public void OnError(Exception error) { }

    public void Dispose()
    {
        _subscription.Dispose();
        lock (_listeners) _listeners.ForEach(l => l.Dispose());
    }
}

/// <summary>What a fuzzing run saw: counts per endpoint class and status, and every broken promise with its replay seed.</summary>
public sealed class FuzzReport(int seed, int cases, IReadOnlyList<FuzzEndpoint> endpoints)
{
    public int Seed => seed;
    public int Cases => cases;
    public IReadOnlyList<FuzzEndpoint> Endpoints => endpoints;
    public List<FuzzFailure> Failures { get; } = [];
    public Dictionary<(EndpointClass Class, int Status), int> Statuses { get; } = new();
    public Dictionary<string, int> CasesPerEndpoint { get; } = new();
    public int RefusedWritesChecked { get; set; }
    public int AcceptedWrites { get; set; }
    public int NotSentByTheClient { get; set; }
    public TimeSpan Elapsed { get; set; }

    /// <summary>Every endpoint got cases, none answered 5xx or not at all, and no refused request wrote anything.</summary>
    public bool Passed => Failures.Count == 0 && endpoints.All(e => CasesPerEndpoint.GetValueOrDefault(e.ToString()) > 0);

    public string Markdown()
    {
        var text = new StringBuilder();
        var classes = Enum.GetValues<EndpointClass>().Where(c => endpoints.Any(e => e.Class == c)).ToList();
        text.AppendLine($"Seed {seed}, {cases} cases over {endpoints.Count} endpoints (method and route, read from the routing table at run time) " +
                        $"in {Elapsed.TotalSeconds:F0} s. {RefusedWritesChecked} refused writes had the store compared before and after " +
                        $"(events, streams and every document table); {AcceptedWrites} writes were accepted (plausible enough).");
        text.AppendLine();
        text.AppendLine("| endpoint class | endpoints | cases | 2xx | 3xx | 4xx | 5xx | no answer | statuses seen |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var c in classes)
        {
            var seen = Statuses.Where(s => s.Key.Class == c).ToDictionary(s => s.Key.Status, s => s.Value);
            int Range(int from, int to) => seen.Where(s => s.Key >= from && s.Key < to).Sum(s => s.Value);
            text.AppendLine($"| {c} | {endpoints.Count(e => e.Class == c)} | {seen.Values.Sum()} | {Range(200, 300)} | {Range(300, 400)} | {Range(400, 500)} | " +
                            $"{Range(500, 600)} | {seen.GetValueOrDefault(0)} | {string.Join(", ", seen.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "none" : s.Key)}×{s.Value}"))} |");
        }
        text.AppendLine();
        if (NotSentByTheClient > 0) text.AppendLine($"{NotSentByTheClient} cases were refused by the HTTP client itself before sending (the in-memory test server's).\n");
        if (Failures.Count == 0) text.AppendLine("No 5xx, every case answered, nothing written on a refusal.");
        else
        {
            text.AppendLine($"**{Failures.Count} broken promises** (replay one with `FUZZ_SEED={seed} FUZZ_CASE=<case> ops/drill fuzzing`):");
            text.AppendLine();
            foreach (var f in Failures.Take(50)) text.AppendLine($"- {f.ToString().Replace("|", "\\|")}");
        }
        var missed = endpoints.Where(e => CasesPerEndpoint.GetValueOrDefault(e.ToString()) == 0).ToList();
        if (missed.Count > 0) text.AppendLine($"\nEndpoints without a case: {string.Join(", ", missed)}.");
        return text.ToString();
    }
}

/// <summary>
/// Sends generated cases one at a time (so that a write can be told apart from the one before) and checks each answer:
/// never a 5xx; a request that was not accepted (anything but 2xx) leaves the store exactly as it was.
/// </summary>
public sealed class FuzzingRun(TargetApp app, int seed, TextWriter log)
{
    public async Task<FuzzReport> RunAsync(int cases, int? onlyCase = null)
    {
        var watch = Stopwatch.StartNew();
        var endpoints = FuzzingEndpoints.Of(app.Services);
        var words = await FuzzingVocabulary.ReadAsync(app, endpoints);
        var generator = new FuzzingCases(seed, endpoints, words);
        var report = new FuzzReport(seed, onlyCase is null ? cases : 1, endpoints);
        var store = new StoreFingerprint(app);
        using var http = app.NewClient();
        using var exceptions = new ServerExceptions();
        log.WriteLine($"   fuzzing {endpoints.Count} endpoints, seed {seed}, {report.Cases} cases");

        await store.SettleAsync(TimeSpan.FromSeconds(30));
        foreach (var index in onlyCase is { } one ? [one] : Enumerable.Range(0, cases))
        {
            var fuzz = generator.Make(index);
            report.CasesPerEndpoint[fuzz.Endpoint.ToString()] = report.CasesPerEndpoint.GetValueOrDefault(fuzz.Endpoint.ToString()) + 1;
            var before = fuzz.IsWrite ? await store.TakeAsync() : null;
            exceptions.Take();
            var (status, answer) = await SendAsync(http, fuzz);
            if (status == NotSent)
            {
                report.NotSentByTheClient++;
                continue;
            }
            if (status is 0 or >= 500 && exceptions.Take() is { } cause) answer = $"{cause.GetType().Name}: {cause.Message} at {Where(cause)} | {answer}";
            report.Statuses[(fuzz.Endpoint.Class, status)] = report.Statuses.GetValueOrDefault((fuzz.Endpoint.Class, status)) + 1;
            if (status == 0) report.Failures.Add(new FuzzFailure(seed, fuzz, "no answer", answer));
            else if (status >= 500 && !IsOEmbedsOwnAnswer(fuzz, status)) report.Failures.Add(new FuzzFailure(seed, fuzz, $"{status}", answer));

            if (fuzz.IsWrite && status is >= 200 and < 300)
            {
                report.AcceptedWrites++;
                RememberPreview(words, answer);
                // What the write sets off (the async daemon, forwarded-event handlers) must not count against the next case.
                await store.SettleAsync(TimeSpan.FromSeconds(30));
            }
            else if (fuzz.IsWrite)
            {
                report.RefusedWritesChecked++;
                if (await store.TakeAsync() is var after && after != before)
                    report.Failures.Add(new FuzzFailure(seed, fuzz, $"{status}, but the store changed", Difference(before!, after)));
            }
            if ((index + 1) % 500 == 0) log.WriteLine($"   {index + 1} cases, {report.Failures.Count} failures, {watch.Elapsed.TotalSeconds:F0} s");
        }
        report.Elapsed = watch.Elapsed;
        return report;
    }

    private async Task<(int Status, string Answer)> SendAsync(HttpClient http, FuzzCase fuzz)
    {
        using var request = app.Request(new HttpMethod(fuzz.Method), fuzz.Url, fuzz.User);
        foreach (var (name, value) in fuzz.Headers)
        {
            // A garbage cookie goes beside the session, as a browser would send both.
            if (name == "Cookie" && request.Headers.TryGetValues("Cookie", out var session))
            {
                request.Headers.Remove("Cookie");
                request.Headers.TryAddWithoutValidation("Cookie", $"{string.Join("; ", session)}; {value}");
            }
            else if (!name.StartsWith("Content-", StringComparison.Ordinal)) request.Headers.TryAddWithoutValidation(name, value);
        }
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            request.Content.Headers.ContentType = null;
            if (fuzz.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            foreach (var (name, value) in fuzz.Headers.Where(h => h.Name.StartsWith("Content-", StringComparison.Ordinal)))
                request.Content.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var body = await ReadSomeAsync(response);
            return ((int)response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (0, $"{e.GetType().Name}: {e.Message}");
        }
        // The in-memory test server's client refuses some requests itself (a NUL in the path), where Kestrel would answer 400.
        catch (InvalidOperationException e)
        {
            return (NotSent, e.Message);
        }
    }

    private const int NotSent = -1;

    // oEmbed 1.0 asks for 501 when a format other than the provider's is asked for: an answer, not a failure.
    private static bool IsOEmbedsOwnAnswer(FuzzCase fuzz, int status) => status == 501 && fuzz.Endpoint.Route == "/oembed";

    /// <summary>The start of the answer (a 5xx's problem details say what broke), without reading a large page whole.</summary>
    private static async Task<string> ReadSomeAsync(HttpResponseMessage response)
    {
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
        var drained = new byte[64 * 1024];
        while (await stream.ReadAsync(drained) > 0) { }
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return response.Content.Headers.ContentType?.MediaType?.Contains("json") == true ? text : text[..Math.Min(text.Length, 400)];
    }

    private static void RememberPreview(FuzzingVocabulary words, string answer)
    {
        try
        {
            if (JsonNode.Parse(answer)?["id"]?.GetValue<string>() is { } id && Guid.TryParse(id, out _) && !words.PreviewIds.Contains(id))
                words.PreviewIds.Add(id);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) { }
    }

    /// <summary>The app's own frame where the exception came from (or its first frame).</summary>
    private static string Where(Exception e)
    {
        var frames = (e.StackTrace ?? "").Split('\n').Select(l => l.Trim()).ToList();
        return frames.FirstOrDefault(l => l.Contains("Society5Kpi.") && !l.Contains("Society5Kpi.Drill")) ?? frames.FirstOrDefault() ?? "?";
    }

    private static string Difference(string before, string after)
    {
        var was = before.Split(';').ToHashSet();
        return "now " + string.Join("; ", after.Split(';').Where(p => !was.Contains(p))) + " (was " +
               string.Join("; ", before.Split(';').Where(p => !after.Split(';').Contains(p))) + ")";
    }
}
