namespace Society5Kpi.Domain;

/// <summary>The plan's status categories (Open SDG / Statistics Canada), plus the cases the method cannot judge.</summary>
public enum Status
{
    Achieved,
    OnTrack,
    /// <summary>Progress made, acceleration needed.</summary>
    AccelerationNeeded,
    LimitedProgress,
    Deterioration,
    /// <summary>A floor ("150%以上を維持") that the latest figure is below.</summary>
    OffTrack,
    /// <summary>Fewer than two data points: the baseline and at least one later figure are needed.</summary>
    NoDataYet,
    /// <summary>A promotion goal (推進目標), followed by milestones rather than figures.</summary>
    Qualitative,
    /// <summary>No target or no direction, e.g. reference figures.</summary>
    NotAssessed
}

/// <summary>What a status is judged on.</summary>
/// <param name="Observations">Published figures after the baseline; the baseline itself is the first data point (t0, y0).</param>
/// <param name="SpanStart">
/// First day of a cumulative target's span (FY2020-FY2024 -> 2020-04-01). Needed because a cumulative baseline is
/// often an earlier span's total (LIV-08: 73 over FY2016-FY2018), so its date does not start the span.
/// Defaults to BaselineDate.
/// </param>
public sealed record StatusInputs(
    Direction Direction, Measure Measure,
    decimal? BaselineValue, DateOnly? BaselineDate,
    decimal? TargetValue, DateOnly? TargetDate,
    IReadOnlyList<(DateOnly Date, decimal Value)> Observations,
    DateOnly? SpanStart = null, decimal? Ceiling = null);

/// <summary>A status with everything it was computed from, so the page can show its working.</summary>
/// <param name="ObservedGrowth">CAGR_o from the baseline to the latest figure (6 decimals).</param>
/// <param name="RequiredGrowth">CAGR_r from the baseline to the target (6 decimals).</param>
/// <param name="Ratio">R, rounded to 4 decimals; the status is judged on this rounded figure.</param>
/// <param name="Points">Latest minus baseline in the indicator's unit, signed so that positive is better.</param>
/// <param name="YearsElapsed">Years from the baseline (a cumulative span's start) to the latest figure.</param>
/// <param name="YearsToTarget">Years from the baseline (a cumulative span's start) to the target date.</param>
public sealed record StatusAssessment(
    Status Status, string Method,
    decimal? ObservedGrowth, decimal? RequiredGrowth, decimal? Ratio, decimal? Points,
    decimal? BaselineValue, DateOnly? BaselineDate,
    decimal? LatestValue, DateOnly? LatestDate,
    decimal? TargetValue, DateOnly? TargetDate,
    decimal? YearsElapsed, decimal? YearsToTarget);

/// <summary>
/// Where the observed trend leads by a date, with a band from the slowest and fastest growth seen.
/// ShareOfTarget is the UN progress chart ratio (v_e - v_b) / (v_T - v_b): 1 = lands on the target.
/// </summary>
public sealed record Forecast(DateOnly At, decimal Value, decimal Low, decimal High, decimal? ShareOfTarget);

/// <summary>
/// The plan's status method, after Open SDG's progress measure (Statistics Canada): compare the compound annual
/// growth observed since the baseline with the one needed to reach the target on time. Pure: no I/O.
/// </summary>
public static class IndicatorStatusRules
{
    public const string CagrMethod = "Open SDG CAGR ratio (Statistics Canada)";
    public const string CumulativeMethod = "Share of cumulative target over share of span elapsed";
    public const string FloorMethod = "Floor: latest at or above the target";
    public const string QualitativeMethod = "Milestones (promotion goal)";
    public const string NotAssessedMethod = "Not assessed (no target or direction)";

    // Open SDG thresholds on R = CAGR_o / CAGR_r.
    private const double OnTrackFrom = 0.95, AccelerationFrom = 0.60;

    public static StatusAssessment Assess(StatusInputs inputs)
    {
        var latest = Latest(inputs);
        var sign = inputs.Direction == Direction.Decrease ? -1 : 1;
        var result = new StatusAssessment(Status.NoDataYet, CagrMethod, null, null, null,
            inputs.BaselineValue is { } b && latest is { } l ? sign * (l.Value - b) : null,
            inputs.BaselineValue, inputs.BaselineDate, latest?.Value, latest?.Date,
            inputs.TargetValue, inputs.TargetDate, null, null);

        if (inputs.Measure == Measure.Qualitative)
            return result with { Status = Status.Qualitative, Method = QualitativeMethod };
        if (inputs.Direction == Direction.None || inputs.TargetValue is not { } target)
            return result with { Status = Status.NotAssessed, Method = NotAssessedMethod };
        if (inputs.Direction == Direction.Floor)
            return result with
            {
                Method = FloorMethod,
                Status = latest is not { } f ? Status.NoDataYet : f.Value >= target ? Status.Achieved : Status.OffTrack
            };
        if (inputs.TargetDate is not { } targetDate)
            return result with { Status = Status.NotAssessed, Method = NotAssessedMethod };

        var judged = inputs.Measure == Measure.Cumulative
            ? Cumulative(inputs, result, target, targetDate)
            : Level(inputs, result, target, targetDate, sign);
        // Reaching the target settles it, whatever the trend says.
        return latest is { } last && sign * (last.Value - target) >= 0 ? judged with { Status = Status.Achieved } : judged;
    }

    /// <summary>CAGR_o = (y_i/y_0)^(1/(t_i-t_0)) - 1 against CAGR_r = (y_T/y_0)^(1/(t_T-t_0)) - 1.</summary>
    private static StatusAssessment Level(StatusInputs inputs, StatusAssessment result, decimal target, DateOnly targetDate, int sign)
    {
        if (inputs.BaselineValue is not { } y0 || inputs.BaselineDate is not { } t0 || result.LatestDate is not { } ti)
            return result;
        var (elapsed, span) = (Years(t0, ti), Years(t0, targetDate));
        if (span <= 0) return result with { Status = Status.NotAssessed, Method = NotAssessedMethod };

        var observed = Cagr(y0, result.LatestValue!.Value, elapsed);
        var required = Cagr(y0, target, span);
        result = result with
        {
            ObservedGrowth = ToDecimal(observed, 6), RequiredGrowth = ToDecimal(required, 6),
            YearsElapsed = ToDecimal(elapsed, 4), YearsToTarget = ToDecimal(span, 4)
        };
        // Baseline already on the target (CAGR_r = 0) but the latest is not: it has slipped back.
        if (required == 0) return result with { Status = Status.Deterioration };
        // Divide by |CAGR_r| with the sign of the desired direction, so R > 0 means "the right way" for a
        // decrease too, even when the baseline already sat beyond the target.
        var ratio = Math.Round(observed / (sign * Math.Abs(required)), 4);
        return result with { Ratio = ToDecimal(ratio, 4), Status = ByRatio(ratio) };
    }

    /// <summary>
    /// A total over a span: R = (accumulated / target) / (share of the span elapsed), with the same thresholds.
    /// The latest figure is the running total. A total only builds up, so this reads the target as "reach at least".
    /// </summary>
    private static StatusAssessment Cumulative(StatusInputs inputs, StatusAssessment result, decimal target, DateOnly targetDate)
    {
        result = result with { Method = CumulativeMethod };
        if ((inputs.SpanStart ?? inputs.BaselineDate) is not { } start || result.LatestDate is not { } ti) return result;
        var (elapsed, span) = (Years(start, ti), Years(start, targetDate));
        if (span <= 0) return result with { Status = Status.NotAssessed, Method = NotAssessedMethod };
        result = result with { YearsElapsed = ToDecimal(elapsed, 4), YearsToTarget = ToDecimal(span, 4) };
        if (target == 0) return result; // nothing to accumulate; Assess marks it Achieved

        var ratio = Math.Round((double)(result.LatestValue!.Value / target) / (elapsed / span), 4);
        return result with { Ratio = ToDecimal(ratio, 4), Status = ByRatio(ratio) };
    }

    private static Status ByRatio(double ratio) => ratio switch
    {
        >= OnTrackFrom => Status.OnTrack,
        >= AccelerationFrom => Status.AccelerationNeeded,
        >= 0 => Status.LimitedProgress,
        _ => Status.Deterioration
    };

    /// <summary>
    /// Where the path to the target stands on a day: the level growing at CAGR_r from the baseline reaches the target on
    /// time (the path the status method measures against); a cumulative total grows in step with its span; a floor is
    /// flat. Before the baseline there is no path; after the target date it stays at the target.
    /// </summary>
    public static decimal? TargetPathAt(StatusInputs inputs, DateOnly at)
    {
        if (inputs.Direction == Direction.None || inputs.Measure == Measure.Qualitative ||
            inputs.TargetValue is not { } target || inputs.TargetDate is not { } targetDate) return null;
        if (inputs.Direction == Direction.Floor) return target;
        var start = inputs.Measure == Measure.Cumulative ? inputs.SpanStart ?? inputs.BaselineDate : inputs.BaselineDate;
        if (start is not { } from || at < from || targetDate <= from) return null;
        var share = Math.Min(1, Years(from, at) / Years(from, targetDate));
        if (inputs.Measure == Measure.Cumulative) return ToDecimal((double)target * share, 4);
        if (inputs.BaselineValue is not { } y0) return null;
        return ToDecimal(NonZero(y0) * Math.Pow(NonZero(target) / NonZero(y0), share), 4);
    }

    public static Forecast? ForecastToTarget(StatusInputs inputs) =>
        inputs.TargetDate is { } targetDate ? ForecastAt(inputs, targetDate) : null;

    /// <summary>
    /// The level the observed CAGR trend reaches by <paramref name="at"/>. The band uses the slowest and fastest
    /// CAGR between consecutive data points (the overall trend always lies between them), or the trend ±50%
    /// when there is a single observation. Levels only: a running total does not grow by compounding.
    /// Null when there is no trend yet, or <paramref name="at"/> is not after the latest figure.
    /// </summary>
    public static Forecast? ForecastAt(StatusInputs inputs, DateOnly at)
    {
        if (inputs.Measure != Measure.Level || inputs.Direction == Direction.None ||
            inputs.BaselineValue is not { } y0 || inputs.BaselineDate is not { } t0) return null;
        var points = inputs.Observations.Where(o => o.Date > t0)
            .GroupBy(o => o.Date).Select(g => g.Last()).OrderBy(o => o.Date)
            .Prepend((Date: t0, Value: y0)).ToList();
        if (points.Count < 2) return null;
        var last = points[^1];
        var horizon = Years(last.Date, at);
        if (horizon <= 0) return null;

        var trend = Cagr(y0, last.Value, Years(t0, last.Date));
        var steps = points.Zip(points.Skip(1), (p, q) => Cagr(p.Value, q.Value, Years(p.Date, q.Date))).ToList();
        var (slow, fast) = steps.Count > 1
            ? (steps.Min(), steps.Max())
            : (trend - Math.Abs(trend) / 2, trend + Math.Abs(trend) / 2);
        // A level cannot fall below zero: a yearly fall beyond -100% means "gone".
        double Project(double growth) => (double)last.Value * Math.Pow(1 + Math.Max(growth, -1), horizon);

        if (ToDecimal(Project(trend), 4) is not { } value || ToDecimal(Project(slow), 4) is not { } low ||
            ToDecimal(Project(fast), 4) is not { } high) return null;
        // Compounding runs past natural limits (179 municipalities, 100% of households): cap the forecast there.
        if (inputs.Ceiling is { } ceiling) (value, low, high) = (Math.Min(value, ceiling), Math.Min(low, ceiling), Math.Min(high, ceiling));
        var share = inputs.TargetValue is { } yT && yT != y0 ? Math.Round((value - y0) / (yT - y0), 4) : (decimal?)null;
        return new Forecast(at, value, low, high, share);
    }

    /// <summary>
    /// Overdue when the latest figure is older than the reporting rhythm plus a grace period for publication lag:
    /// annual statistics come out months after the fiscal year closes (1 year + 6 months); quarterly figures
    /// within a further quarter (3 + 3 months); monthly within a further month (1 + 1). Irregular: never overdue.
    /// </summary>
    public static bool IsOverdue(ReportingFrequency frequency, DateOnly latestAsOf, DateOnly today) =>
        NextFigureDue(frequency, latestAsOf) is { } due && today > due;

    /// <summary>The last day the next figure can arrive before it is overdue; null for irregular reporting.</summary>
    public static DateOnly? NextFigureDue(ReportingFrequency frequency, DateOnly latestAsOf) => frequency switch
    {
        ReportingFrequency.Annual => latestAsOf.AddMonths(12 + 6),
        ReportingFrequency.Quarterly => latestAsOf.AddMonths(3 + 3),
        ReportingFrequency.Monthly => latestAsOf.AddMonths(1 + 1),
        _ => null
    };

    /// <summary>The latest figure after the start (the baseline, or a cumulative span's start); of two on one date, the later entry.</summary>
    private static (DateOnly Date, decimal Value)? Latest(StatusInputs inputs)
    {
        var start = inputs.Measure == Measure.Cumulative ? inputs.SpanStart ?? inputs.BaselineDate : inputs.BaselineDate;
        var after = inputs.Observations.Where(o => start is not { } s || o.Date > s).OrderBy(o => o.Date).ToList();
        return after.Count == 0 ? null : after[^1];
    }

    private static double Years(DateOnly from, DateOnly to) => (to.DayNumber - from.DayNumber) / 365.25;

    // Growth rates are undefined from (or to) zero, so like Open SDG a zero counts as 0.001
    // (e.g. IND-05 space businesses, baseline 0 -> target 5).
    private static double Cagr(decimal from, decimal to, double years) =>
        Math.Pow(NonZero(to) / NonZero(from), 1 / years) - 1;

    private static double NonZero(decimal value) => value == 0 ? 0.001 : (double)value;

    // Decimals at the boundary; null when the double is not a representable figure (e.g. growth from 0.001).
    private static decimal? ToDecimal(double value, int decimals) =>
        double.IsFinite(value) && Math.Abs(value) < 1e15 ? Math.Round((decimal)value, decimals) : null;
}
