using System.Globalization;
using Society5Kpi.Indicators;

namespace Society5Kpi.OpenData;

/// <summary>
/// NGSI-LD's temporal query on observedAt (ETSI GS CIM 009 §4.11): timerel before / after timeAt, or between timeAt and
/// endTimeAt, each bound excluded (as Stellio reads it); lastN keeps the latest N instances, still oldest first.
/// </summary>
public sealed record TemporalQuery(string? Timerel, DateTimeOffset TimeAt, DateTimeOffset EndTimeAt, int? LastN)
{
    /// <summary>The query, or why it is not one.</summary>
    public static (TemporalQuery? Query, string? Problem) Parse(string? timerel, string? timeAt, string? endTimeAt, string? lastN)
    {
        int? last = null;
        if (lastN is not null)
        {
            if (!int.TryParse(lastN, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                return (null, "lastN must be a whole number of at least 1");
            last = n;
        }
        if (timerel is null)
            return timeAt is null && endTimeAt is null ? (new TemporalQuery(null, default, default, last), null) : (null, "timeAt needs a timerel");
        if (timerel is not ("before" or "after" or "between")) return (null, "timerel must be before, after or between");
        if (!TryInstant(timeAt, out var from)) return (null, "timeAt must be a date-time, e.g. 2020-04-01T00:00:00Z");
        if (timerel != "between") return (new TemporalQuery(timerel, from, default, last), null);
        if (!TryInstant(endTimeAt, out var to)) return (null, "between needs endTimeAt, a date-time");
        return to > from ? (new TemporalQuery(timerel, from, to, last), null) : (null, "endTimeAt must be after timeAt");
    }

    /// <summary>The figures whose observedAt (their as-of day, see <see cref="Publication.DateTime"/>) the query keeps.</summary>
    public IReadOnlyList<PublishedFigure> Select(IEnumerable<PublishedFigure> figures)
    {
        var kept = figures.Where(f => Keeps(new DateTimeOffset(f.AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))).ToList();
        return LastN is { } n ? kept.TakeLast(n).ToList() : kept;
    }

    private bool Keeps(DateTimeOffset observedAt) => Timerel switch
    {
        "before" => observedAt < TimeAt,
        "after" => observedAt > TimeAt,
        "between" => observedAt > TimeAt && observedAt < EndTimeAt,
        _ => true
    };

    private static bool TryInstant(string? text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
}
