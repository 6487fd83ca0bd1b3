using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Society5Kpi.Drill.Support;

/// <summary>
/// The real app (the build of src/Society5Kpi beside this drill's, same configuration) as a child process on
/// loopback, against a given PostgreSQL. Each process names itself in PostgreSQL's application_name, so a drill can
/// tell from pg_stat_activity and pg_locks which node holds what.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLines = 4000;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();

    private AppProcess(Process process, string name, int port)
    {
        _process = process;
        Name = name;
        Port = port;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Port { get; }
    public int ProcessId => _process.Id;
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The last lines the app wrote (kept bounded: a drill's app logs every request).</summary>
    public string Output { get { lock (_lines) return string.Join('\n', _lines); } }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The app's own build, in the configuration this drill was built in (ops/drill builds both in Release).</summary>
    public static string AppDirectory { get; } = Path.Combine(RepositoryRoot, "src", "Society5Kpi", "bin",
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0");

    /// <summary>The database as this process sees it: the cluster's connection string with the node's name on every session.</summary>
    public static string ConnectionFor(string connectionString, string name) => $"{connectionString};Application Name={name}";

    /// <summary>Starts a serving node (importing the seeds first, as ops/run does) and waits until /health is green.</summary>
    public static async Task<AppProcess> ServeAsync(string connectionString, string name, TimeSpan timeout, params string[] settings)
    {
        var port = FreePort();
        var app = Start(connectionString, name, port,
            ["--Seeds:ImportOnStart=true", $"--urls=http://127.0.0.1:{port}", .. settings], environment: null);
        try
        {
            await app.WaitUntilHealthyAsync(timeout);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>A command-line verb (import, user add ...) against the same database: runs to its end within the timeout.</summary>
    public static AppProcess StartVerb(string connectionString, string name, string[] arguments, IDictionary<string, string>? environment = null) =>
        Start(connectionString, name, 0, [.. arguments, "--urls=http://127.0.0.1:0"], environment);

    private static AppProcess Start(string connectionString, string name, int port, string[] arguments, IDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false
        };
        start.ArgumentList.Add(Path.Combine(AppDirectory, "Society5Kpi.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add($"--Seeds:Directory={Path.Combine(RepositoryRoot, "seeds")}");
        // A line per request would cost a drill's two cores more than the requests themselves.
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.AspNetCore=Warning");
        start.Environment["ConnectionStrings__Marten"] = ConnectionFor(connectionString, name);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return new AppProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), name, port);
    }

    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Tail()}");
            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, "health"))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not healthy within {timeout}:\n{Tail()}");
    }

    /// <summary>Waits for a verb to end; its exit code, or a timeout (the process is then killed).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
            throw new TimeoutException($"{Name} did not end within {timeout}:\n{Tail()}");
        }
        // The asynchronous output readers finish after the exit: wait for them too.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>kill -9: no shutdown, no flush, no goodbye to the database (its sessions end when the sockets close).</summary>
    public void KillHard()
    {
        if (HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public string Tail(int lines = 40)
    {
        lock (_lines) return string.Join('\n', _lines.TakeLast(lines));
    }

    private bool _disposed;

    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        // Killed before it counts as disposed: HasExited says true once disposed, and KillHard would leave it running.
        KillHard();
        _disposed = true;
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines) _lines.Dequeue();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Society5Kpi.sln"))) return dir.FullName;
        throw new InvalidOperationException("Society5Kpi.sln not found above " + AppContext.BaseDirectory);
    }
}
