using JasperFx.Events;

namespace Society5Kpi.Infrastructure;

/// <summary>The plan's catalogue (municipalities, roadmap items) is brought in line with its seed files.</summary>
public static class CatalogueStream
{
    /// <summary>
    /// Appends what brings the entry in line: <paramref name="created"/> when it is new, the revision when it
    /// differs, nothing when it is the same, so importing the same file again appends nothing. Returns the count.
    /// </summary>
    public static int BringInLine<T>(this IEventStream<T> stream, object created, Func<T, bool> isSame, Func<object> revised)
        where T : notnull
    {
        var change = stream.Aggregate is not { } current ? created : isSame(current) ? null : revised();
        if (change is null) return 0;
        stream.AppendOne(change);
        return 1;
    }
}
