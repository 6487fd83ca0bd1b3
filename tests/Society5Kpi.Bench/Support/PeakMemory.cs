namespace Society5Kpi.Bench.Support;

public static class PeakMemory
{
    /// <summary>A process's peak resident memory (VmHWM of /proc/PID/status), in MiB; this process's when none is named.</summary>
    public static double MiB(int? processId = null)
    {
        var line = File.ReadLines($"/proc/{processId?.ToString() ?? "self"}/status").First(l => l.StartsWith("VmHWM:"));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
