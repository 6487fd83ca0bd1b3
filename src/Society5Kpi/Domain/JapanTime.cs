namespace Society5Kpi.Domain;

/// <summary>The plan is run in Japan: "today" and "in the future" are judged in Japan Standard Time (UTC+9, no DST).</summary>
public static class JapanTime
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Offset).DateTime);

    /// <summary>Midnight at the start of a day in Japan.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);
}
