namespace Society5Kpi.Indicators;

/// <summary>The writer saw an older version of the indicator than the one stored: reload and try again.</summary>
public sealed class IndicatorChangedException(string code, long expected, long actual)
    : Exception($"Indicator {code} has changed since you loaded it (you saw version {expected}, it is now {actual}). Reload and try again.");
