using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Society5Kpi.Infrastructure;

/// <summary>
/// A PostgreSQL cluster the project runs itself when no connection string is configured:
/// initdb on first use, loopback only, data kept in <see cref="DataDirectory"/>.
/// initdb and postgres refuse to run as root, so as root they run as the 'postgres' system user.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly bool _removeOnStop;

    private LocalPostgres(string dataDirectory, int port, bool removeOnStop)
    {
        DataDirectory = dataDirectory;
        Port = port;
        _removeOnStop = removeOnStop;
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public bool StartedHere { get; private set; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Keepalive=30;Tcp Keepalive=true;Maximum Pool Size=50";

    /// <summary>Starts (initialising if needed) the cluster in <paramref name="dataDirectory"/>, or reuses it if it already runs.</summary>
    public static async Task<LocalPostgres> StartAsync(string dataDirectory, int? port = null, bool removeOnStop = false)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var running = RunningPort(dataDirectory);
        var postgres = new LocalPostgres(dataDirectory, running ?? port ?? FreePort(), removeOnStop);
        if (running is null) await postgres.StartClusterAsync();
        return postgres;
    }

    /// <summary>A throw-away cluster in a temporary folder on a free port, removed on dispose.</summary>
    public static Task<LocalPostgres> StartTemporaryAsync() =>
        StartAsync(Path.Combine(Path.GetTempPath(), $"s5k-pg-{Guid.NewGuid():N}"), removeOnStop: true);

    private async Task StartClusterAsync()
    {
        var pgData = Path.Combine(DataDirectory, "pg");
        Directory.CreateDirectory(DataDirectory);
        HandToPostgresUser(DataDirectory);
        if (!File.Exists(Path.Combine(pgData, "PG_VERSION")))
            await RunAsync("initdb", $"-D \"{pgData}\" -U postgres -A trust -E UTF8 --no-locale --no-instructions");

        // Socket directory inside the data folder: no clash with a system cluster in /var/run/postgresql.
        // client_connection_check_interval: a session whose client died mid-query (a killed node's daemon sits in the
        // advisory-lock monitor's 60 s sleep) ends within a second, releasing its locks, instead of when the query ends.
        // default_toast_compression=lz4: large documents (an import's preview holds every row) are compressed by lz4, not
        // pglz: faster to write; measured when each municipality's figures were a growing document too, a 100,000-row import
        // confirmed in 49 s instead of 55-59 s, a rebuild of 1M events 56 s instead of 61 s.
        await RunAsync("pg_ctl",
            $"-D \"{pgData}\" -l \"{Path.Combine(DataDirectory, "postgres.log")}\" -w -t 60 " +
            $"-o \"-p {Port} -c listen_addresses=127.0.0.1 -k '{DataDirectory}' -c fsync=on -c max_connections=200 " +
            "-c client_connection_check_interval=1s -c default_toast_compression=lz4\" start");
        StartedHere = true;
    }

    /// <summary>Stops the server (fast: open sessions are ended), keeping the data; <see cref="StartAgainAsync"/> brings it back.</summary>
    public async Task StopAsync()
    {
        await RunAsync("pg_ctl", $"-D \"{Path.Combine(DataDirectory, "pg")}\" -m fast -w stop");
        StartedHere = false;
    }

    /// <summary>Starts the stopped server again on the same port and data (the fault drills restart it under load).</summary>
    public Task StartAgainAsync() => StartClusterAsync();

    public async ValueTask DisposeAsync()
    {
        if (StartedHere) await StopAsync();
        if (_removeOnStop && Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>The port of a cluster already running on this data folder (left by an earlier run), if any.</summary>
    private static int? RunningPort(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "pg", "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port)) return null;
        try { return Process.GetProcessById(pid).HasExited ? null : port; }
        catch (ArgumentException) { return null; }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static void HandToPostgresUser(string directory)
    {
        if (!IsRoot) return;
        RunProcess("chown", $"-R postgres:postgres \"{directory}\"");
        // The postgres user must be able to reach the folder through its parents.
        for (var parent = Directory.GetParent(directory); parent is not null; parent = parent.Parent)
            RunProcess("chmod", $"o+x \"{parent.FullName}\"");
    }

    private static Task RunAsync(string tool, string arguments) => Task.Run(() =>
    {
        var executable = Path.Combine(BinDirectory, tool);
        if (IsRoot) RunProcess("runuser", $"-u postgres -- {executable} {arguments}");
        else RunProcess(executable, arguments);
    });

    private static void RunProcess(string fileName, string arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{fileName} {arguments} failed with exit code {process.ExitCode}:\n{output.Result}\n{error.Result}");
    }
}
