namespace Society5Kpi.Rebuilding;

/// <summary>Writes each progress line at once and in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
public sealed class LineProgress(TextWriter output) : IProgress<string>
{
    public void Report(string value) => output.WriteLine(value);
}
