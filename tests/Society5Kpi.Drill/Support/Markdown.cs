using System.Text;

namespace Society5Kpi.Drill.Support;

/// <summary>A drill's section of docs/reliability.md: what was done, the figures measured, and each check with its verdict.</summary>
public sealed class Markdown(string title)
{
    private readonly StringBuilder _text = new($"## {title}\n\n");
    private readonly List<(string Check, bool Passed, string Seen)> _checks = [];

    public bool Passed => _checks.Count > 0 && _checks.All(c => c.Passed);

    public Markdown Line(string text)
    {
        _text.AppendLine(text);
        return this;
    }

    public Markdown Table(string[] headers, IEnumerable<string[]> rows)
    {
        _text.AppendLine().AppendLine($"| {string.Join(" | ", headers)} |").AppendLine($"|{string.Concat(headers.Select(_ => " --- |"))}");
        foreach (var row in rows) _text.AppendLine($"| {string.Join(" | ", row)} |");
        _text.AppendLine();
        return this;
    }

    /// <summary>One outcome checked against the store; the drill passes only if every check does.</summary>
    public bool Check(string check, bool passed, string seen)
    {
        _checks.Add((check, passed, seen));
        return passed;
    }

    /// <summary>The section, ending with the checks; a drill that threw ends with its failure.</summary>
    public DrillOutcome Outcome(Exception? failure = null)
    {
        var text = new StringBuilder(_text.ToString());
        if (_checks.Count > 0)
        {
            text.AppendLine().AppendLine("| check | seen | verdict |").AppendLine("| --- | --- | --- |");
            foreach (var (check, passed, seen) in _checks) text.AppendLine($"| {check} | {seen} | {(passed ? "pass" : "**FAIL**")} |");
        }
        if (failure is not null) text.AppendLine().AppendLine($"**The drill did not finish:** {failure.GetType().Name}: {failure.Message.Split('\n')[0]}");
        var passedAll = failure is null && Passed;
        text.AppendLine().AppendLine($"Outcome: **{(passedAll ? "passed" : "FAILED")}**.");
        return new DrillOutcome(passedAll, text.ToString());
    }
}
