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
/// One indicator as the dashboard shows it: its definition, baseline, target, its published figures and the progress
/// of the latest one. Built inline from the indicator's stream (keyed by its code), and the aggregate the indicator's
/// commands are checked against. Bounded: drafts are not in it (each figure has its <see cref="RecordedFigure"/>), so
/// loading and storing it for a write costs the same however many figures are being worked on.
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
    /// <summary>Set when the indicator is also recorded per municipality (see MunicipalFigures).</summary>
    public MunicipalBreakdown? Breakdown { get; init; }
    public string? Note { get; init; }
    public string? Source { get; init; }
    public Baseline? Baseline { get; init; }
    public Target? Target { get; init; }
    /// <summary>
    /// Every figure of the prefecture with its review state, in the order recorded, for the secretariat: filled when read
    /// (<see cref="WithMeasurementsAsync"/>, the as-of fold), never by the projection, so the stored document stays small.
    /// </summary>
    public ImmutableList<MeasurementEntry> Measurements { get; init; } = [];
    /// <summary>
    /// The figures that were approved (each entry as it is now: a correction may be pending), in the order recorded:
    /// what progress, status and the public view are judged on. As many as the reporting rhythm brings, never the drafts.
    /// </summary>
    public ImmutableList<MeasurementEntry> PublishedMeasurements { get; init; } = [];
    /// <summary>Milestones and cases of a qualitative indicator, by date: its milestone-based progress.</summary>
    public ImmutableList<MilestoneEntry> Milestones { get; init; } = [];
    /// <summary>The latest published figure: what progress and status are judged on, and all the public sees.</summary>
    public PublishedFigure? Latest { get; init; }
    /// <summary>The latest figure not yet published (entered, submitted or sent back), for the secretariat and council; filled with <see cref="Measurements"/>.</summary>
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

    /// <summary>The indicator with every figure of the prefecture, and the latest draft among them.</summary>
    public IndicatorProgress WithMeasurements(IEnumerable<MeasurementEntry> figures)
    {
        var all = figures.ToImmutableList();
        return this with { Measurements = all, LatestDraft = all.LatestDraft() };
    }

    /// <summary>The working documents with their figures, read from the figures' own documents by index.</summary>
    public static async Task<IReadOnlyList<IndicatorProgress>> WithMeasurementsAsync(Marten.IQuerySession session,
        IReadOnlyList<IndicatorProgress> indicators, CancellationToken ct = default)
    {
        if (indicators.Count == 0) return indicators;
        var figures = await RecordedFigure.PrefectureFiguresAsync(session, indicators.Select(i => i.Id).ToList(), ct);
        return indicators.Select(i => i.WithMeasurements(figures[i.Id])).ToList();
    }

    /// <summary>One working document with its figures, or null when there is no such indicator.</summary>
    public static async Task<IndicatorProgress?> LoadWithMeasurementsAsync(Marten.IQuerySession session, string code, CancellationToken ct = default) =>
        await session.LoadAsync<IndicatorProgress>(code, ct) is { } indicator
            ? (await WithMeasurementsAsync(session, [indicator], ct)).Single()
            : null;

    /// <summary>The figure recorded for this period from this source, if any (of <see cref="Measurements"/>): imports never record it twice.</summary>
    public MeasurementEntry? RecordedFor(string? period, string? source) => Measurements.RecordedFor(period, source);

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
        PlanIndicator = e.PlanIndicator, Note = e.Note, Source = e.Source, DerivedFrom = e.DerivedFrom, Breakdown = e.Breakdown
    }).WithProgress();

    public IndicatorProgress Apply(IndicatorDescriptionRevised e) => Apply(e.Definition);

    public IndicatorProgress Apply(BaselineSet e) =>
        (this with { Baseline = new Baseline(e.Value, e.Period, e.Basis) }).WithProgress();

    public IndicatorProgress Apply(TargetSet e) =>
        (this with { Target = new Target(e.Value, e.Period) }).WithProgress();

    public IndicatorProgress Apply(TargetRevised e) =>
        (this with { Target = new Target(e.Value, e.Period) }).WithProgress();

    // A municipality's figure sits in its indicator's stream but belongs to the breakdown (MunicipalFigures), not here.
    // A draft is only in its RecordedFigure: this document follows a figure from the moment it is published.
    public IndicatorProgress Apply(MeasurementRecorded e) =>
        e.MunicipalityCode is not null ? this
        : Changed(e.Published ? PublishedMeasurements.Apply(e) : PublishedMeasurements, e.RecordedBy, e.RecordedAt);

    public IndicatorProgress Apply(MeasurementCorrected e) =>
        e.MunicipalityCode is not null ? this : Changed(PublishedMeasurements.Apply(e), e.CorrectedBy, e.CorrectedAt);

    public IndicatorProgress Apply(MeasurementSubmittedForReview e) =>
        e.MunicipalityCode is not null ? this : Changed(PublishedMeasurements.Apply(e), e.SubmittedBy, e.SubmittedAt);

    public IndicatorProgress Apply(MeasurementApproved e) =>
        e.MunicipalityCode is not null ? this : Changed(Approve(e), e.ApprovedBy, e.ApprovedAt);

    public IndicatorProgress Apply(MeasurementSentBack e) =>
        e.MunicipalityCode is not null ? this : Changed(PublishedMeasurements.Apply(e), e.SentBackBy, e.SentBackAt);

    public IndicatorProgress Apply(MeasurementRetracted e) =>
        e.MunicipalityCode is not null ? this : Changed(PublishedMeasurements.Apply(e), e.RetractedBy, e.RetractedAt);

    /// <summary>
    /// A published figure's approved correction changes it in place; a draft's first approval brings its entry (from the
    /// event) in at its place in the recording order, which decides between two figures of one date.
    /// </summary>
    private ImmutableList<MeasurementEntry> Approve(MeasurementApproved e)
    {
        if (PublishedMeasurements.Any(m => m.MeasurementId == e.MeasurementId)) return PublishedMeasurements.Apply(e);
        if (e.Approved is not { } approved) return PublishedMeasurements;
        var before = PublishedMeasurements.FindLastIndex(m => m.RecordedAt <= approved.RecordedAt);
        return PublishedMeasurements.Insert(before + 1, approved);
    }

    private IndicatorProgress Changed(ImmutableList<MeasurementEntry> published, string by, DateTimeOffset at) =>
        (this with { PublishedMeasurements = published, LastChangedBy = by, LastChangedAt = at }).WithProgress();

    /// <summary>The indicator as the public may see it: what was approved, as approved (see <see cref="PublishedIndicator"/>).</summary>
    public PublishedIndicator Published() => new(
        Id, Area, PolicyJa, PolicyEn, NameJa, NameEn, Unit, UnitJa, Direction, Measure, Frequency, PlanIndicator, DerivedFrom,
        Breakdown, Note, Source, Baseline, Target,
        PublishedFigures().OrderBy(f => f.AsOf).ToList(), Latest, Progress, Assessment, Forecast,
        StatusOverride is { } o ? new PublishedStatusOverride(o.Status, o.Reason, JapanTime.Today(o.At)) : null,
        Milestones.Select(m => new PublishedMilestone(m.Kind, m.Title, m.Date, m.MunicipalityCode, m.Link)).ToList());

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
        var judged = Judgement.Of(Direction, Measure, Unit, Baseline, Target, PublishedFigures().ToList());
        return this with
        {
            Latest = judged.Latest,
            Progress = judged.Progress, Assessment = judged.Assessment, Forecast = judged.Forecast
        };
    }

    private IEnumerable<PublishedFigure> PublishedFigures() => PublishedMeasurements.PublishedFigures();
}
