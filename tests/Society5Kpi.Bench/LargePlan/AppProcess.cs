using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Society5Kpi.Bench.LargePlan;

/// <summary>
/// The app's Release build (src/Society5Kpi/bin/Release/net10.0) in its own process on a given database, serving on a
/// free loopback port, or running one of its verbs (e.g. rebuild). Every output line is kept with when it arrived.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, string Line)> _lines = [];

    private AppProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; private init; } = new("http://127.0.0.1/");

    /// <summary>Every line written so far, with the time since the process started.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> Lines { get { lock (_lines) return _lines.ToList(); } }

    public string Output => string.Join('\n', Lines.Select(l => l.Line));

    /// <summary>Null while it runs; else how it ended, with its output.</summary>
    public string? Ended => _process.HasExited ? $"the app exited with {_process.ExitCode}:\n{Output}" : null;

    /// <summary>Peak resident memory of the process (VmHWM), in MiB.</summary>
    public long PeakMemoryMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    /// <summary>Starts the app serving on <paramref name="connectionString"/> and waits until /health answers 200.</summary>
    public static async Task<AppProcess> ServeAsync(string repositoryRoot, string connectionString, TimeSpan timeout)
    {
        var port = FreePort();
        var app = new AppProcess(Start(repositoryRoot, connectionString, $"--urls http://127.0.0.1:{port}"))
            { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (app._process.HasExited) throw new InvalidOperationException($"The app exited with {app._process.ExitCode}:\n{app.Output}");
            try
            {
                if ((await http.GetAsync(new Uri(app.BaseAddress, "health"))).IsSuccessStatusCode) return app;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await app.DisposeAsync();
        throw new TimeoutException($"The app did not answer /health within {timeout}:\n{app.Output}");
    }

    /// <summary>Runs a verb of the app (e.g. "rebuild") to its end, or kills it after <paramref name="timeout"/>.</summary>
    public static async Task<(AppProcess App, int? ExitCode)> RunVerbAsync(string repositoryRoot, string connectionString, string verb, TimeSpan timeout)
    {
        var app = new AppProcess(Start(repositoryRoot, connectionString, $"{verb} --urls http://127.0.0.1:{FreePort()}"));
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await app._process.WaitForExitAsync(limit.Token);
            // The last lines may still be on their way from the pipe.
            app._process.WaitForExit();
            return (app, app._process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            app._process.Kill(entireProcessTree: true);
            return (app, null);
        }
    }

    /// <summary>
    /// `dotnet src/Society5Kpi/bin/Release/net10.0/Society5Kpi.dll`, or S5K_APP_COMMAND (another build of the app, e.g. a
    /// published one's apphost). The content root is the project folder, so its wwwroot is served as on a user's machine.
    /// </summary>
    private static Process Start(string repositoryRoot, string connectionString, string arguments)
    {
        var project = Path.Combine(repositoryRoot, "src", "Society5Kpi");
        var command = Environment.GetEnvironmentVariable("S5K_APP_COMMAND");
        var common = $"{arguments} --Seeds:Directory=\"{Path.Combine(repositoryRoot, "seeds")}\" --RateLimiting:Enabled=false";
        var start = command is { Length: > 0 }
            ? new ProcessStartInfo(command, common)
            : new ProcessStartInfo("dotnet", $"\"{Path.Combine(project, "bin", "Release", "net10.0", "Society5Kpi.dll")}\" {common}");
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = project;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.Environment["ConnectionStrings__Marten"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the app");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add((_since.Elapsed, line));
    }

    /// <summary>Ctrl-C (SIGINT), as a person stops it; killed if it has not stopped within 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var interrupt = Process.Start("kill", $"-INT {_process.Id}")) await interrupt.WaitForExitAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(limit.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
