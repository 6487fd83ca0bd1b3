using System.Collections.Immutable;
using Society5Kpi.Domain;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Measurements.Recording;

namespace Society5Kpi.Indicators;

public sealed record Baseline(decimal? Value, Period Period, string? Basis);

public sealed record Target(decimal? Value, Period Period);

public sealed record MeasurementEntry(
    Guid MeasurementId, Period Period, DateOnly AsOf, decimal Value, string? Source, string? Note,
    string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// One indicator as the dashboard shows it: its definition, baseline, target, every measurement
/// and the progress of the latest one. Built inline from the indicator's stream (keyed by its code),
/// and the aggregate the indicator's commands are checked against.
/// </summary>
public sealed record IndicatorProgress
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
    public string? Note { get; init; }
    public string? Source { get; init; }
    public Baseline? Baseline { get; init; }
    public Target? Target { get; init; }
    public ImmutableList<MeasurementEntry> Measurements { get; init; } = [];
    public MeasurementEntry? Latest { get; init; }
    public Progress? Progress { get; init; }

    public int MeasurementCount => Measurements.Count;

    public static IndicatorProgress Create(IndicatorDefined e) => new IndicatorProgress
    {
        Id = e.Code
    }.Apply(e);

    public IndicatorProgress Apply(IndicatorDefined e) => this with
    {
        Area = e.Area, PolicyJa = e.PolicyJa, PolicyEn = e.PolicyEn, NameJa = e.NameJa, NameEn = e.NameEn,
        Unit = e.Unit, UnitJa = e.UnitJa, Direction = e.Direction, Measure = e.Measure, Frequency = e.Frequency,
        PlanIndicator = e.PlanIndicator, Note = e.Note, Source = e.Source
    };

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
                e.MeasurementId, e.Period, e.AsOf, e.Value, e.Source, e.Note, e.RecordedBy, e.RecordedAt))
        }).WithProgress();

    private IndicatorProgress WithProgress()
    {
        // Latest = the figure for the most recent date; of two for the same date, the later entry.
        var latest = Measurements
            .OrderBy(m => m.AsOf).ThenBy(m => m.RecordedAt)
            .LastOrDefault();
        return this with
        {
            Latest = latest,
            Progress = ProgressRules.Toward(Direction, Baseline?.Value, Target?.Value, latest?.Value)
        };
    }
}
