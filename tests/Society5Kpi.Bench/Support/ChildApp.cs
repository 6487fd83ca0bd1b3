using System.Diagnostics;
using System.Text;

namespace Society5Kpi.Bench.Support;

/// <summary>
/// The application as its own process (`dotnet Society5Kpi.dll`), on a PostgreSQL given by connection string: what is
/// deployed, and a process whose memory (VmHWM) and start are its own.
/// </summary>
public sealed class ChildApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildApp(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public int ProcessId => _process.Id;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The app built next to the benchmark (src/Society5Kpi/bin/Release/net10.0), or another build's folder.</summary>
    public static string BuiltApp => Path.Combine(Repository.Root, "src", "Society5Kpi", "bin", "Release", "net10.0", "Society5Kpi.dll");

    /// <param name="workingDirectory">The app's folder by default; `codegen write` writes Internal/Generated under it.</param>
    public static ChildApp Start(string dll, string connectionString, IEnumerable<string>? arguments = null,
        IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var port = InProcessApp.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!
        };
        start.ArgumentList.Add(dll);
        // A verb starts the app too (its store and handlers): on a port of its own, never the default 5000. JasperFx's
        // commands (codegen) start no server and refuse options they do not know.
        var all = arguments?.FirstOrDefault() == "codegen" ? arguments : (arguments ?? []).Append($"--urls=http://127.0.0.1:{port}");
        foreach (var argument in all) start.ArgumentList.Add(argument);
        start.Environment["ConnectionStrings__Marten"] = connectionString;
        start.Environment["Seeds__Directory"] = Repository.SeedsDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new ChildApp(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Runs a command-line verb of the app (import, user add ...) to its end; throws unless it exits 0.</summary>
    public static async Task RunVerbAsync(string dll, string connectionString, string[] arguments, IDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        await using var verb = Start(dll, connectionString, arguments, environment, workingDirectory);
        await verb.WaitForExitAsync(TimeSpan.FromMinutes(3));
        if (verb._process.ExitCode != 0)
            throw new InvalidOperationException($"Society5Kpi {string.Join(' ', arguments)} exited {verb._process.ExitCode}:\n{verb.Output}");
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    /// <summary>Polls until <paramref name="path"/> answers 200; the time since the process started.</summary>
    public async Task<TimeSpan> WaitForAsync(string path, TimeSpan timeout, int pollMilliseconds = 20)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (DateTime.Now - _process.StartTime < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode) return DateTime.Now - _process.StartTime;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(pollMilliseconds);
        }
        throw new TimeoutException($"{path} did not answer 200 within {timeout}:\n{Output}");
    }

    /// <summary>The process's peak resident memory, in MiB.</summary>
    public double PeakMemoryMiB() => PeakMemory.MiB(_process.Id);

    /// <summary>Stops it as Ctrl-C does (SIGINT), killing it if it has not ended within 20 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString()])) await kill.WaitForExitAsync();
            try { await WaitForExitAsync(TimeSpan.FromSeconds(20)); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        }
        _process.Dispose();
    }
}
