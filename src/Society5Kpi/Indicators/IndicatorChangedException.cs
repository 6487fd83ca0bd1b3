namespace Society5Kpi.Indicators;

/// <summary>The writer saw an older version of the indicator than the one stored: reload and try again.</summary>
public sealed class IndicatorChangedException(string code, long expected, long actual, string? changedBy, DateTimeOffset? changedAt)
    : Exception($"Indicator {code} was changed by {changedBy ?? "someone else"}" +
                (changedAt is { } at ? $" at {at.ToOffset(TimeSpan.FromHours(9)):yyyy-MM-dd HH:mm} JST" : "") +
                $" after you loaded it (you saw version {expected}, it is now {actual}). Reload and try again.");
