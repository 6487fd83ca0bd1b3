using System.Reflection;
using Society5Kpi.Bench;

// ops/bench [suite...]: runs each benchmark suite (all when none is named) and writes its markdown section
// to the folder given by --out (ops/bench joins them into docs/benchmarks.md).
var outDirectory = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? ".build/bench";
var named = args.TakeWhile(a => a != "--out").ToHashSet();
var suites = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchSuite)Activator.CreateInstance(t)!)
    .Where(s => named.Count == 0 || named.Contains(s.Name))
    .OrderBy(s => s.Order)
    .ToList();
Directory.CreateDirectory(outDirectory);
foreach (var suite in suites)
{
    Console.WriteLine($"== {suite.Name}");
    var section = await suite.RunAsync(Console.Out);
    await File.WriteAllTextAsync(Path.Combine(outDirectory, $"{suite.Order:00}-{suite.Name}.md"), section);
}
return 0;

namespace Society5Kpi.Bench
{
    /// <summary>One group of measurements: each compares the product with a baseline measured in the same run.</summary>
    public interface IBenchSuite
    {
        string Name { get; }
        /// <summary>Where its section goes in docs/benchmarks.md.</summary>
        int Order { get; }
        /// <summary>Runs the measurements, writing progress to <paramref name="log"/>; returns the markdown section.</summary>
        Task<string> RunAsync(TextWriter log);
    }
}
