using System.Diagnostics;
using System.Globalization;

namespace Society5Kpi.Bench.Support;

/// <summary>Latencies of a sequential run: its rate and percentiles.</summary>
public sealed class Timings
{
    private readonly List<double> _milliseconds = [];
    private readonly Stopwatch _wall = new();

    public int Count => _milliseconds.Count;
    public TimeSpan Elapsed => _wall.Elapsed;
    public double PerSecond => Count / _wall.Elapsed.TotalSeconds;

    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times, one after another, or until <paramref name="limit"/> has passed.</summary>
    public static async Task<Timings> SequentialAsync(int count, TimeSpan limit, Func<int, Task> operation)
    {
        var timings = new Timings();
        timings._wall.Start();
        for (var i = 0; i < count && timings._wall.Elapsed < limit; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(i);
            timings._milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        timings._wall.Stop();
        return timings;
    }

    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{PerSecond:0.0}/s over {Count} ({Elapsed.TotalSeconds:0.0} s), p50 {Percentile(50):0.0} ms, p99 {Percentile(99):0.0} ms");
}

public static class Markdown
{
    // Small ratios keep their first significant digits: 0.0001× says more than 0.00×.
    public static string Ratio(double value) =>
        (value is > 0 and < 0.01 ? value.ToString("0." + new string('0', 1 - (int)Math.Floor(Math.Log10(value))), CultureInfo.InvariantCulture)
            : value.ToString("0.00", CultureInfo.InvariantCulture)) + "×";
    public static string Number(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
    public static string Met(bool met) => met ? "**met**" : "**not met**";
}
