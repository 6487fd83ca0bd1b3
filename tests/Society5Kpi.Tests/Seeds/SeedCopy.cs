namespace Society5Kpi.Tests.Seeds;

/// <summary>A throw-away copy of seeds/ that a specification can edit like a person would.</summary>
public sealed class SeedCopy : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"s5k-seeds-{Guid.NewGuid():N}");

    public SeedCopy()
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in System.IO.Directory.GetFiles(Support.AppFixture.SeedsDirectory, "*.csv"))
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
    }

    /// <summary>Replaces one line (1-based, the header is line 1) and returns that line number.</summary>
    public int EditLine(string file, Func<string, bool> which, Func<string, string> edit)
    {
        var path = Path.Combine(Directory, file);
        var lines = File.ReadAllLines(path);
        var index = Array.FindIndex(lines, l => which(l));
        if (index < 0) throw new InvalidOperationException($"no such line in {file}");
        lines[index] = edit(lines[index]);
        File.WriteAllLines(path, lines);
        return index + 1;
    }

    public int AppendLine(string file, string line)
    {
        var path = Path.Combine(Directory, file);
        File.AppendAllText(path, line + "\n");
        return File.ReadAllLines(path).Length;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
