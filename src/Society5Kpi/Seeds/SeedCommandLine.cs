namespace Society5Kpi.Seeds;

public static class SeedCommandLine
{
    /// <summary>Imports Seeds:Directory (default seeds/) and prints what it did; 0 on success, 1 when the files have errors.</summary>
    public static async Task<int> ImportAsync(IServiceProvider services, TextWriter output)
    {
        var directory = services.GetRequiredService<IConfiguration>()["Seeds:Directory"] ?? "seeds";
        using var scope = services.CreateScope();
        var importer = scope.ServiceProvider.GetRequiredService<SeedImporter>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = await importer.ImportAsync(directory);
        if (!report.Succeeded)
        {
            await output.WriteLineAsync($"Seed import refused, nothing was written ({report.Errors.Count} errors):");
            foreach (var error in report.Errors) await output.WriteLineAsync($"  {Path.Combine(directory, error.File)}:{error.Line}: {error.Column}: {error.Message}");
            return 1;
        }
        await output.WriteLineAsync(
            $"Seeds imported from {directory}: {report.IndicatorEvents} indicator events, {report.MunicipalityEvents} municipality events, " +
            $"{report.RoadmapEvents} roadmap events, {report.RoadmapProgressEvents} roadmap progress facts, {report.MeasurementsRecorded} measurements, " +
            $"{report.CouncilMeetingEvents} council meetings ({report.EventsAppended} in all) in {watch.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }
}
