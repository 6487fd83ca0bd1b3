using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Society5Kpi.Bench.Support;

/// <summary>One wrk run (HTTP/1.1 keep-alive load from another process) and what it printed.</summary>
public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Non2xx, long SocketErrors)
{
    public static async Task<WrkResult> RunAsync(Uri url, int connections, TimeSpan duration, int threads = 2)
    {
        var start = new ProcessStartInfo("wrk", $"-t{threads} -c{connections} -d{(int)duration.TotalSeconds}s --latency {url}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {output}{await process.StandardError.ReadToEndAsync()}");
        return Parse(output);
    }

    public static WrkResult Parse(string output)
    {
        double Number(string pattern) => double.Parse(Regex.Match(output, pattern, RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        long Count(string pattern) => Regex.Match(output, pattern) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        return new WrkResult(
            Number(@"Requests/sec:\s+([\d.]+)"), Latency(output, "50%"), Latency(output, "99%"),
            Count(@"(\d+) requests in"), Count(@"Non-2xx or 3xx responses: (\d+)"),
            errors.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(errors.Groups[i].Value, CultureInfo.InvariantCulture)) : 0);
    }

    private static double Latency(string output, string percentile)
    {
        var m = Regex.Match(output, $@"^\s+{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success) throw new InvalidOperationException($"wrk printed no {percentile} latency:\n{output}");
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }
}
