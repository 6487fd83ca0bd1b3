using System.Reflection;
using Society5Kpi.Drill;

// ops/drill [drill...]: runs each fault drill (all when none is named) and writes its markdown section
// to the folder given by --out (ops/drill joins them into docs/reliability.md). Exit code 1 if any drill failed.
var outDirectory = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? ".build/drill";
var named = args.TakeWhile(a => a != "--out").ToHashSet();
var drills = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IFaultDrill).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IFaultDrill)Activator.CreateInstance(t)!)
    .Where(d => named.Count == 0 || named.Contains(d.Name))
    .OrderBy(d => d.Order)
    .ToList();
Directory.CreateDirectory(outDirectory);
var failed = 0;
foreach (var drill in drills)
{
    Console.WriteLine($"== {drill.Name}");
    var outcome = await drill.RunAsync(Console.Out);
    if (!outcome.Passed) failed++;
    await File.WriteAllTextAsync(Path.Combine(outDirectory, $"{drill.Order:00}-{drill.Name}.md"), outcome.Section);
}
Console.WriteLine($"{drills.Count - failed} drills passed, {failed} failed");
return failed == 0 ? 0 : 1;

namespace Society5Kpi.Drill
{
    public sealed record DrillOutcome(bool Passed, string Section);

    /// <summary>One fault provoked on purpose, bounded in time, on loopback; its outcome is checked, not assumed.</summary>
    public interface IFaultDrill
    {
        string Name { get; }
        /// <summary>Where its section goes in docs/reliability.md.</summary>
        int Order { get; }
        Task<DrillOutcome> RunAsync(TextWriter log);
    }
}
