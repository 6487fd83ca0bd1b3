using Marten;
using Marten.Services;

namespace Society5Kpi.Infrastructure;

/// <summary>
/// Counts the commits this node made to the store (every Marten session's, the handlers' included), so that what is
/// kept in memory from the store can be known stale without asking the database (see Embeds.WidgetResponses).
/// </summary>
public sealed class StoreCommits : DocumentSessionListenerBase
{
    private static long _count;

    public static long Count => Interlocked.Read(ref _count);

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }

    /// <summary>The database was changed behind the app's back (a restored copy): what was kept must be read again.</summary>
    public static void ChangedElsewhere() => Interlocked.Increment(ref _count);
}
