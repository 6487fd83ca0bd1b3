using JasperFx.Events;
using Marten;

namespace Society5Kpi.Infrastructure;

/// <summary>The writer saw another version of the stream than the one stored: reload and try again (a 409).</summary>
public sealed class StreamChangedException(string what, long expected, long actual, string? changedBy, DateTimeOffset? changedAt)
    : Exception($"{what} was changed by {changedBy ?? "someone else"}" +
                (changedAt is { } at ? $" at {at.ToOffset(TimeSpan.FromHours(9)):yyyy-MM-dd HH:mm} JST" : "") +
                $" after you loaded it (you saw version {expected}, it is now {actual}). Reload and try again.");

public static class ExpectedVersion
{
    /// <summary>A write that lost to another on the same stream: the version it saw, or the stream's lock, was taken first.</summary>
    public static bool LostARace(Exception e) =>
        e is StreamChangedException or JasperFx.ConcurrencyException or Marten.Exceptions.StreamLockedException or JasperFx.Events.StreamLockedException;

    /// <summary>
    /// Opens a stream for writing (the append is checked against the version read here) and refuses the command
    /// if the writer sent the version it saw and that is no longer the stored one.
    /// </summary>
    /// <param name="lastChange">Who changed the aggregate last and when, for the message, where the aggregate knows.</param>
    public static async Task<IEventStream<T>> FetchForWritingAsync<T>(this IDocumentSession session, string key, long? expected,
        string what, Func<T, (string? By, DateTimeOffset? At)>? lastChange = null) where T : class
    {
        var stream = await session.Events.FetchForWriting<T>(key);
        if (stream.Aggregate is { } current && expected is { } seen && seen != stream.CurrentVersion)
        {
            var (by, at) = lastChange?.Invoke(current) ?? (null, null);
            throw new StreamChangedException(what, seen, stream.CurrentVersion ?? 0, by, at);
        }
        return stream;
    }
}
