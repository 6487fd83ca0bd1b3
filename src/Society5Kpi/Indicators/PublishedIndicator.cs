using Society5Kpi.Domain;

namespace Society5Kpi.Indicators;

/// <summary>What the pages need to write a figure of an indicator: its name and unit in both languages, and which way is better.</summary>
public interface IIndicatorUnit
{
    string NameJa { get; }
    string NameEn { get; }
    string Unit { get; }
    string UnitJa { get; }
    Direction Direction { get; }
}

/// <summary>A figure as it was approved: value, period, as-of, source, note and the day it was published. No review state, no names.</summary>
/// <param name="CorrectionReason">Why the figure was corrected, when the approved value is a correction.</param>
/// <param name="Numerator">For a rate: what was counted (cards issued), beside <paramref name="Denominator"/> (population).</param>
/// <param name="DerivedFromMunicipalities">Set for a prefecture figure derived from this many municipalities' figures (Σ/Σ).</param>
public sealed record PublishedFigure(
    Guid MeasurementId, Period Period, DateOnly AsOf, decimal Value, string? Source, string? Note, DateOnly PublishedOn,
    string? CorrectionReason = null, decimal? Numerator = null, decimal? Denominator = null, int? DerivedFromMunicipalities = null);

public sealed record PublishedStatusOverride(Status Status, string Reason, DateOnly On);

public sealed record PublishedMilestone(Indicators.Milestones.MilestoneKind Kind, string Title, DateOnly Date, string? MunicipalityCode, string? Link);

/// <summary>
/// An indicator as the public sees it: its definition, baseline and target, and only what was approved, as approved.
/// Its own type, not the working document with fields blanked, so that nothing the secretariat is still working on
/// (drafts, pending corrections, review comments) and no staff account name can reach a public route.
/// Progress, status and forecast are judged on published figures only, so they are the working document's.
/// </summary>
public sealed record PublishedIndicator(
    string Id, Area Area, string PolicyJa, string PolicyEn, string NameJa, string NameEn, string Unit, string UnitJa,
    Direction Direction, Measure Measure, ReportingFrequency Frequency, bool PlanIndicator, MunicipalityCount? DerivedFrom,
    MunicipalBreakdown? Breakdown, string? Note, string? Source, Baseline? Baseline, Target? Target,
    IReadOnlyList<PublishedFigure> Figures, PublishedFigure? Latest, Progress? Progress, StatusAssessment? Assessment,
    Forecast? Forecast, PublishedStatusOverride? StatusOverride, IReadOnlyList<PublishedMilestone> Milestones) : IIndicatorUnit
{
    /// <summary>What the pages show: a reviewer's override if there is one, else the computed status.</summary>
    public Status? Status => StatusOverride?.Status ?? Assessment?.Status;

    /// <summary>
    /// The indicator with its prefecture figures derived from the municipalities' (Σnumerator / Σdenominator per date),
    /// judged by the same rules as recorded ones.
    /// </summary>
    public PublishedIndicator WithFigures(IReadOnlyList<PublishedFigure> figures)
    {
        var judged = Judgement.Of(Direction, Measure, Unit, Baseline, Target, figures);
        return this with
        {
            Figures = figures.OrderBy(f => f.AsOf).ToList(), Latest = judged.Latest, Progress = judged.Progress,
            Assessment = judged.Assessment, Forecast = judged.Forecast
        };
    }

    /// <summary>Where the path from the baseline to the target stands on a day (see IndicatorStatusRules.TargetPathAt).</summary>
    public decimal? TargetPathAt(DateOnly day) =>
        IndicatorStatusRules.TargetPathAt(Judgement.InputsOf(Direction, Measure, Unit, Baseline, Target, Figures), day);

    /// <summary>Whether a figure is expected on a day; see <see cref="Indicators.Timeliness"/>.</summary>
    public Timeliness TimelinessOn(DateOnly today) => Timeliness.Of(Measure, Frequency, Latest?.AsOf ?? Baseline?.Period.End, today);
}
