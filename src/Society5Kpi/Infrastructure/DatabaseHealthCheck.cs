using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Society5Kpi.Infrastructure;

/// <summary>Healthy when the event store's database answers a query.</summary>
public sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", ct);
            return HealthCheckResult.Healthy("database answers");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("database does not answer", e);
        }
    }
}
