using JasperFx.Events.Projections;

namespace Society5Kpi.Rebuilding;

/// <summary>
/// How many events the projection daemon fetches and applies at a time (the timeline, the asynchronous projection,
/// catching up after a bulk load or downtime; and Marten's own projection commands). Marten's default, 500, makes a
/// million events 2,000 rounds of fetch, apply, write and save progress; larger batches share each round's cost among more events.
/// Projections:BatchSize changes it.
/// </summary>
public static class ProjectionBatches
{
    public const int DefaultSize = 5_000;

    public static Action<AsyncOptions> From(IConfiguration configuration)
    {
        var size = configuration.GetValue("Projections:BatchSize", DefaultSize);
        return options =>
        {
            options.BatchSize = size;
            // Room for a few batches ahead, as with Marten's defaults (batches of 500, 5,000 events held).
            options.MaximumHopperSize = size * 4;
        };
    }
}
