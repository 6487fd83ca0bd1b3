using Microsoft.Extensions.Caching.Memory;
using Society5Kpi.Infrastructure;

namespace Society5Kpi.Embeds;

/// <summary>
/// The widgets' rendered answers, kept for a second. A widget on a busy page is asked for thousands of times for every
/// figure that changes; rendering it each time, and asking the database whether the indicator changed, costs far more
/// than sending the bytes. A commit on this node makes every kept answer stale at once (<see cref="StoreCommits"/>);
/// a write on another node shows within the second.
/// </summary>
public static class WidgetResponses
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(1);

    // Bounded: the key is the path and the widget's normalised options, never the raw query.
    private static readonly MemoryCache Kept = new(new MemoryCacheOptions { SizeLimit = 2_000 });

    private sealed record Key(string Path, string Options, string Site, long Commits);

    /// <param name="render">The widget's body and content type, or null when there is nothing to show (not kept).</param>
    public static async Task<IResult?> ServeAsync(HttpContext http, WidgetOptions options, string site, Func<Task<(string Body, string Type)?>> render)
    {
        var key = new Key(http.Request.Path.Value ?? "", options.Query(), site, StoreCommits.Count);
        if (!Kept.TryGetValue(key, out CachedResponse.Representation? answer))
        {
            if (await render() is not var (body, type)) return null;
            answer = Kept.Set(key, CachedResponse.Representation.Of(body, type),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = KeptFor });
        }
        return CachedResponse.Of(http, answer!);
    }
}
