using System.Collections.Immutable;
using Society5Kpi.Domain;
using Society5Kpi.Measurements.Correcting;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Measurements.Reviewing;

namespace Society5Kpi.Indicators;

/// <summary>Where a figure is in the check before publication: entered, submitted, sent back, or approved.</summary>
public enum ReviewState { Draft, Submitted, SentBack, Published }

/// <summary>One figure as the secretariat works on it: its current value, its review state and who did what.</summary>
/// <param name="Value">The current value: the last correction's, if it was corrected (a draft until approved).</param>
/// <param name="CorrectionReason">Why the current value was corrected; public only once the correction is approved.</param>
/// <param name="PublishedValue">The value last approved; the public sees only this. A correction leaves it until approved.</param>
/// <param name="LastEditedBy">Who entered or last corrected the value: they may not approve it themselves.</param>
/// <param name="PublishedAt">When the published value was approved (for a figure from the plan's documents: when it became known).</param>
/// <param name="PublishedCorrectionReason">The correction reason that was approved with the published value.</param>
/// <param name="Numerator">For a rate: what is counted (cards issued), beside <paramref name="Denominator"/> (population).</param>
public sealed record MeasurementEntry(
    Guid MeasurementId, Period Period, DateOnly AsOf, decimal Value, string? Source, string? Note,
    string RecordedBy, DateTimeOffset RecordedAt, string? CorrectionReason = null,
    ReviewState Review = ReviewState.Draft, decimal? PublishedValue = null, string? LastEditedBy = null,
    string? ReviewComment = null, DateTimeOffset? PublishedAt = null, string? PublishedCorrectionReason = null,
    decimal? Numerator = null, decimal? Denominator = null, decimal? PublishedNumerator = null, decimal? PublishedDenominator = null)
{
    /// <summary>The figure as it was approved, or null while it never was: nothing of a later draft or review goes with it.</summary>
    public PublishedFigure? Published() => PublishedValue is { } value
        ? new PublishedFigure(MeasurementId, Period, AsOf, value, Source, Note, JapanTime.Today(PublishedAt ?? RecordedAt),
            PublishedCorrectionReason, PublishedNumerator, PublishedDenominator)
        : null;
}

/// <summary>An event about one figure; MunicipalityCode says whether it is the prefecture's or one municipality's.</summary>
public interface IFigureEvent
{
    string IndicatorCode { get; }
    Guid MeasurementId { get; }
    string? MunicipalityCode { get; }
}

/// <summary>
/// How each figure event changes a figure, and the list of figures, the same for an indicator, a municipality's
/// breakdown and the figure's own document (<see cref="RecordedFigure"/>), so a municipal figure goes through exactly
/// the review and correction rules of a prefecture figure.
/// </summary>
public static class MeasurementEntries
{
    public static MeasurementEntry Entry(MeasurementRecorded e) => new(
        e.MeasurementId, e.Period, e.AsOf, e.Value, e.Source, e.Note, e.RecordedBy, e.RecordedAt,
        Review: e.Published ? ReviewState.Published : ReviewState.Draft,
        PublishedValue: e.Published ? e.Value : null, LastEditedBy: e.RecordedBy,
        PublishedAt: e.Published ? e.KnownFrom : null,
        Numerator: e.Numerator, Denominator: e.Denominator,
        PublishedNumerator: e.Published ? e.Numerator : null, PublishedDenominator: e.Published ? e.Denominator : null);

    public static MeasurementEntry Apply(this MeasurementEntry m, MeasurementCorrected e) => m with
    {
        Value = e.Value, CorrectionReason = e.Reason, Review = ReviewState.Draft, LastEditedBy = e.CorrectedBy,
        Numerator = e.Numerator ?? m.Numerator, Denominator = e.Denominator ?? m.Denominator
    };

    public static MeasurementEntry Apply(this MeasurementEntry m, MeasurementSubmittedForReview e) =>
        m with { Review = ReviewState.Submitted, ReviewComment = null };

    public static MeasurementEntry Apply(this MeasurementEntry m, MeasurementApproved e) => m with
    {
        Review = ReviewState.Published, PublishedValue = e.Value, ReviewComment = null,
        PublishedAt = e.ApprovedAt, PublishedCorrectionReason = m.CorrectionReason,
        PublishedNumerator = m.Numerator, PublishedDenominator = m.Denominator
    };

    public static MeasurementEntry Apply(this MeasurementEntry m, MeasurementSentBack e) =>
        m with { Review = ReviewState.SentBack, ReviewComment = e.Comment };

    public static ImmutableList<MeasurementEntry> Apply(this ImmutableList<MeasurementEntry> figures, MeasurementRecorded e) =>
        figures.Add(Entry(e));

    public static ImmutableList<MeasurementEntry> Apply(this ImmutableList<MeasurementEntry> figures, MeasurementCorrected e) =>
        figures.Change(e.MeasurementId, m => m.Apply(e));

    public static ImmutableList<MeasurementEntry> Apply(this ImmutableList<MeasurementEntry> figures, MeasurementSubmittedForReview e) =>
        figures.Change(e.MeasurementId, m => m.Apply(e));

    public static ImmutableList<MeasurementEntry> Apply(this ImmutableList<MeasurementEntry> figures, MeasurementApproved e) =>
        figures.Change(e.MeasurementId, m => m.Apply(e));

    public static ImmutableList<MeasurementEntry> Apply(this ImmutableList<MeasurementEntry> figures, MeasurementSentBack e) =>
        figures.Change(e.MeasurementId, m => m.Apply(e));

    public static ImmutableList<MeasurementEntry> Apply(this ImmutableList<MeasurementEntry> figures, MeasurementRetracted e) =>
        figures.RemoveAll(m => m.MeasurementId == e.MeasurementId);

    /// <summary>Applies one figure event to the list; any other event leaves it as it is.</summary>
    public static ImmutableList<MeasurementEntry> Apply(this ImmutableList<MeasurementEntry> figures, object data) => data switch
    {
        MeasurementRecorded e => figures.Apply(e),
        MeasurementCorrected e => figures.Apply(e),
        MeasurementSubmittedForReview e => figures.Apply(e),
        MeasurementApproved e => figures.Apply(e),
        MeasurementSentBack e => figures.Apply(e),
        MeasurementRetracted e => figures.Apply(e),
        _ => figures
    };

    /// <summary>The latest published figure: the one for the most recent date; of two for the same date, the later entry.</summary>
    public static PublishedFigure? LatestPublished(this IEnumerable<MeasurementEntry> figures) => figures.PublishedFigures().Latest();

    /// <param name="figures">In the order they were recorded: the sort is stable, so of two for one date the later counts.</param>
    public static PublishedFigure? Latest(this IEnumerable<PublishedFigure> figures) => figures.OrderBy(f => f.AsOf).LastOrDefault();

    /// <summary>The latest figure not yet published (entered, submitted or sent back).</summary>
    public static MeasurementEntry? LatestDraft(this IEnumerable<MeasurementEntry> figures) =>
        figures.Where(m => m.Review != ReviewState.Published).OrderBy(m => m.AsOf).ThenBy(m => m.RecordedAt).LastOrDefault();

    public static IEnumerable<PublishedFigure> PublishedFigures(this IEnumerable<MeasurementEntry> figures) =>
        figures.Select(m => m.Published()).OfType<PublishedFigure>();

    /// <summary>The figure recorded for this period from this source, if any: imports never record it twice.</summary>
    public static MeasurementEntry? RecordedFor(this IEnumerable<MeasurementEntry> figures, string? period, string? source) =>
        figures.FirstOrDefault(m => m.Period.ToString() == period && m.Source == source);

    private static ImmutableList<MeasurementEntry> Change(this ImmutableList<MeasurementEntry> figures, Guid measurementId,
        Func<MeasurementEntry, MeasurementEntry> change) =>
        figures.FindIndex(m => m.MeasurementId == measurementId) is var index and >= 0 ? figures.SetItem(index, change(figures[index])) : figures;
}
