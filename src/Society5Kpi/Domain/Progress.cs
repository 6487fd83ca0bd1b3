namespace Society5Kpi.Domain;

/// <summary>How far an indicator has come from its baseline toward its target.</summary>
/// <param name="Share">Share of the way from baseline to target (0 = at baseline, 1 = target reached); may leave 0..1.</param>
/// <param name="Points">Change since the baseline in the indicator's own unit, signed so that positive is better.</param>
/// <param name="RemainingPoints">What is still missing to the target in the indicator's unit (0 when met).</param>
public sealed record Progress(decimal Share, decimal Points, decimal RemainingPoints, bool TargetMet);

public static class ProgressRules
{
    /// <summary>
    /// Direction-aware progress. Near a ceiling (98.1% toward 100%) the share swings on tiny changes,
    /// so the change in points is always given beside it. Null when there is nothing to compare.
    /// </summary>
    public static Progress? Toward(Direction direction, decimal? baseline, decimal? target, decimal? latest)
    {
        if (target is not { } t || latest is not { } v) return null;
        var sign = direction == Direction.Decrease ? -1m : 1m;

        if (direction == Direction.Floor)
        {
            var met = v >= t;
            var points = baseline is { } fb ? v - fb : 0m;
            return new Progress(met ? 1m : t == 0 ? 0m : Round(v / t), points, met ? 0m : t - v, met);
        }

        if (baseline is not { } b || direction == Direction.None) return null;
        var targetMet = sign * (v - t) >= 0;
        var share = t == b ? (targetMet ? 1m : 0m) : Round((v - b) / (t - b));
        return new Progress(share, sign * (v - b), targetMet ? 0m : sign * (t - v), targetMet);
    }

    private static decimal Round(decimal share) => Math.Round(share, 4, MidpointRounding.AwayFromZero);
}
