using System.Collections.Immutable;
using Society5Kpi.Domain;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Indicators.Reviewing;
using Society5Kpi.Measurements.Correcting;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Measurements.Reviewing;

namespace Society5Kpi.Indicators;

public sealed record Baseline(decimal? Value, Period Period, string? Basis);

public sealed record Target(decimal? Value, Period Period);

/// <summary>Where a figure is in the check before publication: entered, submitted, sent back, or approved.</summary>
public enum ReviewState { Draft, Submitted, SentBack, Published }

/// <summary>One figure as the secretariat works on it: its current value, its review state and who did what.</summary>
/// <param name="Value">The current value: the last correction's, if it was corrected (a draft until approved).</param>
/// <param name="CorrectionReason">Why the current value was corrected; public only once the correction is approved.</param>
/// <param name="PublishedValue">The value last approved; the public sees only this. A correction leaves it until approved.</param>
/// <param name="LastEditedBy">Who entered or last corrected the value: they may not approve it themselves.</param>
/// <param name="PublishedAt">When the published value was approved (for a figure from the plan's documents: when it became known).</param>
/// <param name="PublishedCorrectionReason">The correction reason that was approved with the published value.</param>
public sealed record MeasurementEntry(
    Guid MeasurementId, Period Period, DateOnly AsOf, decimal Value, string? Source, string? Note,
    string RecordedBy, DateTimeOffset RecordedAt, string? CorrectionReason = null,
    ReviewState Review = ReviewState.Draft, decimal? PublishedValue = null, string? LastEditedBy = null,
    string? ReviewComment = null, DateTimeOffset? PublishedAt = null, string? PublishedCorrectionReason = null)
{
    /// <summary>The figure as it was approved, or null while it never was: nothing of a later draft or review goes with it.</summary>
    public PublishedFigure? Published() => PublishedValue is { } value
        ? new PublishedFigure(MeasurementId, Period, AsOf, value, Source, Note, JapanTime.Today(PublishedAt ?? RecordedAt), PublishedCorrectionReason)
        : null;
}

/// <param name="DueThisQuarter">The next figure falls due by the end of the current fiscal quarter (or is overdue).</param>
public sealed record Timeliness(bool Overdue, DateOnly? NextFigureDue, bool DueThisQuarter)
{
    /// <param name="since">The latest figure's as-of date, or the baseline's end while there is none.</param>
    public static Timeliness Of(Measure measure, ReportingFrequency frequency, DateOnly? since, DateOnly today)
    {
        if (measure == Measure.Qualitative || since is not { } from) return new Timeliness(false, null, false);
        var due = IndicatorStatusRules.NextFigureDue(frequency, from);
        var quarterEnd = Period.FiscalQuarterOf(today).End;
        return new Timeliness(due is { } d && today > d, due, due is { } q && q <= quarterEnd);
    }
}

/// <summary>A milestone or case toward a promotion goal. Public once recorded: it is a fact, not a figure to check.</summary>
public sealed record MilestoneEntry(Guid MilestoneId, Milestones.MilestoneKind Kind, string Title, DateOnly Date,
    string? MunicipalityCode, string? Link, string RecordedBy);

public sealed record StatusOverride(Status Status, string Reason, string By, DateTimeOffset At);

/// <summary>
/// One indicator as the dashboard shows it: its definition, baseline, target, every measurement
/// and the progress of the latest one. Built inline from the indicator's stream (keyed by its code),
/// and the aggregate the indicator's commands are checked against.
/// </summary>
public sealed record IndicatorProgress : IIndicatorUnit
{
    public string Id { get; init; } = "";
    public long Version { get; init; }
    public Area Area { get; init; }
    public string PolicyJa { get; init; } = "";
    public string PolicyEn { get; init; } = "";
    public string NameJa { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string Unit { get; init; } = "";
    public string UnitJa { get; init; } = "";
    public Direction Direction { get; init; }
    public Measure Measure { get; init; }
    public ReportingFrequency Frequency { get; init; }
    public bool PlanIndicator { get; init; }
    /// <summary>Set for the counts of municipalities: they are computed from municipality facts, never typed in.</summary>
    public MunicipalityCount? DerivedFrom { get; init; }
    public string? Note { get; init; }
    public string? Source { get; init; }
    public Baseline? Baseline { get; init; }
    public Target? Target { get; init; }
    public ImmutableList<MeasurementEntry> Measurements { get; init; } = [];
    /// <summary>Milestones and cases of a qualitative indicator, by date: its milestone-based progress.</summary>
    public ImmutableList<MilestoneEntry> Milestones { get; init; } = [];
    /// <summary>The latest published figure: what progress and status are judged on, and all the public sees.</summary>
    public PublishedFigure? Latest { get; init; }
    /// <summary>The latest figure not yet published (entered, submitted or sent back), for the secretariat and council.</summary>
    public MeasurementEntry? LatestDraft { get; init; }
    public Progress? Progress { get; init; }
    /// <summary>The computed status with the method's name and inputs (see IndicatorStatusRules).</summary>
    public StatusAssessment? Assessment { get; init; }
    public Forecast? Forecast { get; init; }
    public StatusOverride? StatusOverride { get; init; }
    public string? LastChangedBy { get; init; }
    public DateTimeOffset? LastChangedAt { get; init; }

    /// <summary>What the pages show: a reviewer's override if there is one, else the computed status.</summary>
    public Status? Status => StatusOverride?.Status ?? Assessment?.Status;

    public int MeasurementCount => Measurements.Count;

    /// <summary>The figure recorded for this period from this source, if any: imports never record it twice.</summary>
    public MeasurementEntry? RecordedFor(string? period, string? source) =>
        Measurements.FirstOrDefault(m => m.Period.ToString() == period && m.Source == source);

    /// <summary>
    /// Whether a figure is expected: the next is due by the reporting rhythm from the latest figure (or the
    /// baseline while there is none). Judged on a given day, so it is computed when read, not stored.
    /// </summary>
    public Timeliness TimelinessOn(DateOnly today) => Timeliness.Of(Measure, Frequency, Latest?.AsOf ?? Baseline?.Period.End, today);

    public static IndicatorProgress Create(IndicatorDefined e) => new IndicatorProgress
    {
        Id = e.Code
    }.Apply(e);

    public IndicatorProgress Apply(IndicatorDefined e) => (this with
    {
        Area = e.Area, PolicyJa = e.PolicyJa, PolicyEn = e.PolicyEn, NameJa = e.NameJa, NameEn = e.NameEn,
        Unit = e.Unit, UnitJa = e.UnitJa, Direction = e.Direction, Measure = e.Measure, Frequency = e.Frequency,
        PlanIndicator = e.PlanIndicator, Note = e.Note, Source = e.Source, DerivedFrom = e.DerivedFrom
    }).WithProgress();

    public IndicatorProgress Apply(IndicatorDescriptionRevised e) => Apply(e.Definition);

    public IndicatorProgress Apply(BaselineSet e) =>
        (this with { Baseline = new Baseline(e.Value, e.Period, e.Basis) }).WithProgress();

    public IndicatorProgress Apply(TargetSet e) =>
        (this with { Target = new Target(e.Value, e.Period) }).WithProgress();

    public IndicatorProgress Apply(TargetRevised e) =>
        (this with { Target = new Target(e.Value, e.Period) }).WithProgress();

    public IndicatorProgress Apply(MeasurementRecorded e) =>
        (this with
        {
            Measurements = Measurements.Add(new MeasurementEntry(
                e.MeasurementId, e.Period, e.AsOf, e.Value, e.Source, e.Note, e.RecordedBy, e.RecordedAt,
                Review: e.Published ? ReviewState.Published : ReviewState.Draft,
                PublishedValue: e.Published ? e.Value : null, LastEditedBy: e.RecordedBy,
                PublishedAt: e.Published ? e.KnownFrom : null)),
            LastChangedBy = e.RecordedBy, LastChangedAt = e.RecordedAt
        }).WithProgress();

    public IndicatorProgress Apply(MeasurementCorrected e) =>
        (this with
        {
            Measurements = Change(e.MeasurementId, m => m with
            {
                Value = e.Value, CorrectionReason = e.Reason, Review = ReviewState.Draft, LastEditedBy = e.CorrectedBy
            }),
            LastChangedBy = e.CorrectedBy, LastChangedAt = e.CorrectedAt
        }).WithProgress();

    public IndicatorProgress Apply(MeasurementSubmittedForReview e) => (this with
    {
        Measurements = Change(e.MeasurementId, m => m with { Review = ReviewState.Submitted, ReviewComment = null }),
        LastChangedBy = e.SubmittedBy, LastChangedAt = e.SubmittedAt
    }).WithProgress();

    public IndicatorProgress Apply(MeasurementApproved e) => (this with
    {
        Measurements = Change(e.MeasurementId, m => m with
        {
            Review = ReviewState.Published, PublishedValue = e.Value, ReviewComment = null,
            PublishedAt = e.ApprovedAt, PublishedCorrectionReason = m.CorrectionReason
        }),
        LastChangedBy = e.ApprovedBy, LastChangedAt = e.ApprovedAt
    }).WithProgress();

    public IndicatorProgress Apply(MeasurementSentBack e) => (this with
    {
        Measurements = Change(e.MeasurementId, m => m with { Review = ReviewState.SentBack, ReviewComment = e.Comment }),
        LastChangedBy = e.SentBackBy, LastChangedAt = e.SentBackAt
    }).WithProgress();

    private ImmutableList<MeasurementEntry> Change(Guid measurementId, Func<MeasurementEntry, MeasurementEntry> change) =>
        Measurements.Select(m => m.MeasurementId == measurementId ? change(m) : m).ToImmutableList();

    /// <summary>The indicator as the public may see it: what was approved, as approved (see <see cref="PublishedIndicator"/>).</summary>
    public PublishedIndicator Published() => new(
        Id, Area, PolicyJa, PolicyEn, NameJa, NameEn, Unit, UnitJa, Direction, Measure, Frequency, PlanIndicator, DerivedFrom,
        Note, Source, Baseline, Target,
        PublishedFigures().OrderBy(f => f.AsOf).ToList(), Latest, Progress, Assessment, Forecast,
        StatusOverride is { } o ? new PublishedStatusOverride(o.Status, o.Reason, JapanTime.Today(o.At)) : null,
        Milestones.Select(m => new PublishedMilestone(m.Kind, m.Title, m.Date, m.MunicipalityCode, m.Link)).ToList());

    public IndicatorProgress Apply(MeasurementRetracted e) =>
        (this with
        {
            Measurements = Measurements.RemoveAll(m => m.MeasurementId == e.MeasurementId),
            LastChangedBy = e.RetractedBy, LastChangedAt = e.RetractedAt
        }).WithProgress();

    public IndicatorProgress Apply(Milestones.MilestoneRecorded e) => this with
    {
        Milestones = Milestones.Add(new MilestoneEntry(e.MilestoneId, e.Kind, e.Title, e.Date, e.MunicipalityCode, e.Link, e.RecordedBy))
            .Sort((a, b) => a.Date.CompareTo(b.Date)),
        LastChangedBy = e.RecordedBy, LastChangedAt = e.RecordedAt
    };

    public IndicatorProgress Apply(StatusOverridden e) => this with
    {
        StatusOverride = new StatusOverride(e.Status, e.Reason, e.OverriddenBy, e.OverriddenAt),
        LastChangedBy = e.OverriddenBy, LastChangedAt = e.OverriddenAt
    };

    public IndicatorProgress Apply(StatusOverrideCleared e) => this with
    {
        StatusOverride = null, LastChangedBy = e.ClearedBy, LastChangedAt = e.ClearedAt
    };

    private IndicatorProgress WithProgress()
    {
        // Latest = the figure for the most recent date; of two for the same date, the later entry.
        var latest = Measurements.Where(m => m.PublishedValue is not null).OrderBy(m => m.AsOf).ThenBy(m => m.RecordedAt)
            .LastOrDefault()?.Published();
        var draft = Measurements.Where(m => m.Review != ReviewState.Published)
            .OrderBy(m => m.AsOf).ThenBy(m => m.RecordedAt).LastOrDefault();
        var status = StatusInputs();
        return this with
        {
            Latest = latest,
            LatestDraft = draft,
            Progress = ProgressRules.Toward(Direction, Baseline?.Value, Target?.Value, latest?.Value),
            Assessment = IndicatorStatusRules.Assess(status),
            Forecast = IndicatorStatusRules.ForecastToTarget(status)
        };
    }

    private IEnumerable<PublishedFigure> PublishedFigures() => Measurements.Select(m => m.Published()).OfType<PublishedFigure>();

    /// <summary>A figure refers to the last day of its period; the baseline and target likewise.</summary>
    private StatusInputs StatusInputs() => new(
        Direction, Measure, Baseline?.Value, Baseline?.Period.End, Target?.Value, Target?.Period.End,
        PublishedFigures().Where(m => Baseline is null || m.AsOf > Baseline.Period.End)
            .OrderBy(m => m.AsOf).Select(m => (m.AsOf, m.Value)).ToList(),
        SpanStart: Measure == Measure.Cumulative ? Target?.Period.Start : null,
        Ceiling: MeasureUnit.Ceiling(Unit, Target?.Value));
}
