using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Society5Kpi.Tests.Support;

/// <summary>
/// The app started the way a user starts it: `ops/run --port N` in a real process, with its own
/// PostgreSQL (in <paramref name="dataDirectory"/>). Stopped with Ctrl-C (SIGINT).
/// </summary>
public sealed class RunningApp(string dataDirectory) : IAsyncDisposable
{
    private Process? _process;
    private readonly StringBuilder _output = new();

    public int Port { get; } = FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The app's own PostgreSQL (its port is in the cluster's pid file), to check what it stored.</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={File.ReadAllLines(Path.Combine(dataDirectory, "pg", "postmaster.pid"))[3]};Username=postgres;Database=postgres";

    /// <param name="whileStarting">Called on every poll from the moment the port answers until the app says it serves.</param>
    public async Task StartAsync(TimeSpan timeout, Func<HttpClient, Task>? whileStarting = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppFixture.RepositoryRoot, "ops", "run"), $"--port {Port}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = AppFixture.RepositoryRoot
        };
        // As a new user has it: no connection string, so ops/run starts its own PostgreSQL.
        start.Environment.Remove("ConnectionStrings__Marten");
        start.Environment["SOCIETY5KPI_DATA"] = dataDirectory;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"ops/run exited with {_process.ExitCode}:\n{Output}");
            try
            {
                var health = await http.GetAsync(new Uri(BaseAddress, "health"));
                if (whileStarting is not null) await whileStarting(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) });
                if (health.IsSuccessStatusCode && Output.Contains("is serving on")) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(whileStarting is null ? 500 : 100);
        }
        throw new TimeoutException($"ops/run did not serve within {timeout}:\n{Output}");
    }

    /// <summary>Another ops/run command on the same data, e.g. `user add sato --role editor`; returns its output.</summary>
    public async Task<string> OpsRunAsync(string arguments, string? password = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppFixture.RepositoryRoot, "ops", "run"), arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = AppFixture.RepositoryRoot
        };
        start.Environment.Remove("ConnectionStrings__Marten");
        start.Environment["SOCIETY5KPI_DATA"] = dataDirectory;
        if (password is not null) start.Environment["SOCIETY5KPI_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var all = await output + await error;
        if (process.ExitCode != 0) throw new InvalidOperationException($"ops/run {arguments} failed ({process.ExitCode}):\n{all}");
        return all;
    }

    /// <summary>
    /// `ops/run ARGUMENTS` on a terminal (a pseudo-terminal made by util-linux's script), answering the prompt that
    /// ends with <paramref name="prompt"/> with <paramref name="answer"/>; returns everything the terminal showed.
    /// </summary>
    public async Task<string> OpsRunOnATerminalAsync(string arguments, string prompt, string answer)
    {
        var start = new ProcessStartInfo("script", ["-qfec", $"{Path.Combine(AppFixture.RepositoryRoot, "ops", "run")} {arguments}", "/dev/null"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
            WorkingDirectory = AppFixture.RepositoryRoot
        };
        start.Environment.Remove("ConnectionStrings__Marten");
        start.Environment.Remove("SOCIETY5KPI_PASSWORD");
        start.Environment["SOCIETY5KPI_DATA"] = dataDirectory;
        using var process = Process.Start(start)!;
        var screen = new StringBuilder();
        var buffer = new char[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        async Task<bool> ReadMore()
        {
            var read = await process.StandardOutput.ReadAsync(buffer, timeout.Token);
            screen.Append(buffer, 0, read);
            return read > 0;
        }
        while (!screen.ToString().Contains(prompt) && await ReadMore()) { }
        // Typed as a person types it: after the prompt, ending with Enter.
        await process.StandardInput.WriteAsync(answer + "\r");
        await process.StandardInput.FlushAsync(timeout.Token);
        while (await ReadMore()) { }
        await process.WaitForExitAsync(timeout.Token);
        return screen.ToString();
    }

    /// <summary>Ctrl-C: SIGINT to the app, then wait for it to stop (and stop its PostgreSQL).</summary>
    public async Task<int> StopAsync()
    {
        if (_process is null || _process.HasExited) return _process?.ExitCode ?? 0;
        using (var kill = Process.Start("kill", $"-INT {_process.Id}")) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"ops/run did not stop within 60 s of Ctrl-C:\n{Output}"); }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            try { await StopAsync(); }
            catch (TimeoutException) { _process.Kill(entireProcessTree: true); }
        }
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
