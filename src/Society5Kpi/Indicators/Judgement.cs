using Society5Kpi.Domain;

namespace Society5Kpi.Indicators;

/// <summary>
/// What an indicator's published figures say: the latest, the progress toward the target, the status with its
/// working, and the forecast. One pure function for the working document, the public view and a prefecture figure
/// derived from the municipalities', so they can never judge differently.
/// </summary>
public sealed record Judgement(PublishedFigure? Latest, Progress? Progress, StatusAssessment Assessment, Forecast? Forecast)
{
    /// <param name="figures">Published figures in the order they were recorded: of two for one date, the later counts.</param>
    public static Judgement Of(Direction direction, Measure measure, string unit, Baseline? baseline, Target? target,
        IReadOnlyList<PublishedFigure> figures)
    {
        var latest = figures.Latest();
        var inputs = InputsOf(direction, measure, unit, baseline, target, figures);
        return new Judgement(latest, ProgressRules.Toward(direction, baseline?.Value, target?.Value, latest?.Value),
            IndicatorStatusRules.Assess(inputs), IndicatorStatusRules.ForecastToTarget(inputs));
    }

    /// <summary>What the status method reads: a figure refers to the last day of its period; the baseline and target likewise.</summary>
    public static StatusInputs InputsOf(Direction direction, Measure measure, string unit, Baseline? baseline, Target? target,
        IReadOnlyList<PublishedFigure> figures) => new(
        direction, measure, baseline?.Value, baseline?.Period.End, target?.Value, target?.Period.End,
        figures.Where(f => baseline is null || f.AsOf > baseline.Period.End).OrderBy(f => f.AsOf).Select(f => (f.AsOf, f.Value)).ToList(),
        SpanStart: measure == Measure.Cumulative ? target?.Period.Start : null,
        Ceiling: MeasureUnit.Ceiling(unit, target?.Value));
}
