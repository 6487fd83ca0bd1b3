namespace Society5Kpi.Bench.Support;

public static class Repository
{
    public static string Root { get; } = Find();
    public static string SeedsDirectory => Path.Combine(Root, "seeds");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Society5Kpi.sln"))) return dir.FullName;
        throw new InvalidOperationException("Society5Kpi.sln not found above " + AppContext.BaseDirectory);
    }
}
