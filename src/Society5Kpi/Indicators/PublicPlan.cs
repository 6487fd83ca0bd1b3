using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators.AsOf;
using Society5Kpi.Municipalities.Figures;
using Society5Kpi.Municipalities.Registering;

namespace Society5Kpi.Indicators;

/// <summary>A municipality's latest published figure for an indicator (null fields where it has none).</summary>
public sealed record MunicipalFigureRow(
    string Code, string Name, string NameRomaji, string Subprefecture, string SubprefectureRomaji,
    decimal? Value, decimal? Numerator, decimal? Denominator, Period? Period, DateOnly? AsOf, DateOnly? PublishedOn, string? Source);

/// <summary>
/// An indicator broken down by municipality: the prefecture's figure (recorded from its source, or derived from the
/// municipalities'), what the municipalities' latest figures add up to, and each of the 179.
/// </summary>
public sealed record IndicatorBreakdown(
    string IndicatorCode, string NameJa, string NameEn, string Unit, string UnitJa, PrefectureFigure PrefectureFigure,
    DateOnly? AsOf, PublishedFigure? Prefecture, DerivedRate? Derived, IReadOnlyList<MunicipalFigureRow> Municipalities);

/// <summary>An indicator's map on one of its dates: each municipality's published figure then, and one scale for every date.</summary>
/// <param name="Step">Which of <paramref name="Dates"/> is shown (the latest unless another was asked for).</param>
public sealed record MunicipalMap(IReadOnlyList<DateOnly> Dates, int Step, IReadOnlyDictionary<string, PublishedFigure> Figures, decimal Min, decimal Max)
{
    /// <summary>The step of a date slider over <paramref name="dates"/> dates: the one asked for, else (none, or out of range) the latest.</summary>
    public static int StepOf(int? asked, int dates) => asked is { } s && s >= 0 && s < dates ? s : Math.Max(0, dates - 1);
}

/// <summary>
/// The plan as the public sees it: what was approved, as approved, now or as it was known at the end of a day (Japan
/// time). Every public route (API, pages, widgets, downloads) reads it here, so none can show a draft or an account name.
/// </summary>
public static class PublicPlan
{
    public const string DerivedSource = "Σ municipalities";

    public static async Task<IReadOnlyList<PublishedIndicator>> IndicatorsAsync(IQuerySession session, DateOnly? asOf, CancellationToken ct = default)
    {
        var states = await PublishedViews.StatesAsync(session, null, ct);
        var views = new SortedDictionary<string, PublishedIndicator?>(StringComparer.Ordinal);
        foreach (var (code, state) in states)
            if (PublishedViews.TryGet<PublishedIndicator?>(ViewKey(code, state, asOf), out var kept)) views[code] = kept;
        var missing = states.Keys.Where(code => !views.ContainsKey(code)).ToList();
        if (missing.Count == 0) return views.Values.OfType<PublishedIndicator>().ToList();

        var working = (asOf is { } day
            ? await IndicatorHistory.AsOfAsync(session, day, missing, ct)
            : await session.LoadManyAsync<IndicatorProgress>(ct, missing)).ToDictionary(i => i.Id);
        foreach (var code in missing)
            views[code] = PublishedViews.Keep(ViewKey(code, states[code], asOf),
                working.TryGetValue(code, out var indicator) ? await PublishedAsync(session, indicator, asOf, ct) : null);
        return views.Values.OfType<PublishedIndicator>().ToList();
    }

    public static async Task<PublishedIndicator?> IndicatorAsync(IQuerySession session, string code, DateOnly? asOf, CancellationToken ct = default)
    {
        if (!(await PublishedViews.StatesAsync(session, code, ct)).TryGetValue(code, out var state)) return null;
        if (PublishedViews.TryGet<PublishedIndicator?>(ViewKey(code, state, asOf), out var kept)) return kept;
        var indicator = asOf is { } day
            ? await IndicatorHistory.AsOfAsync(session, code, day, ct)
            : await session.LoadAsync<IndicatorProgress>(code, ct);
        return PublishedViews.Keep(ViewKey(code, state, asOf), indicator is null ? null : await PublishedAsync(session, indicator, asOf, ct));
    }

    private static object ViewKey(string code, Guid state, DateOnly? asOf) => (nameof(PublishedIndicator), code, state, asOf);

    /// <summary>Each municipality's figures of an indicator, drafts included: only for what this class publishes of them.</summary>
    private static async Task<IReadOnlyList<MunicipalFigures>> MunicipalFiguresAsync(IQuerySession session, string code, DateOnly? asOf, CancellationToken ct = default) =>
        asOf is { } day
            ? await MunicipalFigures.AsOfAsync(session, code, day, ct)
            : (await MunicipalFigures.OfIndicatorsAsync(session, [code], ct)).Values.ToList();

    public static async Task<IndicatorBreakdown?> BreakdownAsync(IQuerySession session, string code, DateOnly? asOf, CancellationToken ct = default) =>
        await IndicatorAsync(session, code, asOf, ct) is { } indicator ? await BreakdownAsync(session, indicator, asOf, ct) : null;

    /// <param name="indicator">The indicator as published on <paramref name="asOf"/>, already read by the caller.</param>
    public static async Task<IndicatorBreakdown?> BreakdownAsync(IQuerySession session, PublishedIndicator indicator, DateOnly? asOf, CancellationToken ct = default)
    {
        if (indicator.Breakdown is null) return null;
        var states = await PublishedViews.StatesAsync(session, indicator.Id, ct);
        // The rows carry the municipalities' names, so their registry is part of what the breakdown depends on.
        var key = (nameof(IndicatorBreakdown), indicator.Id, states.GetValueOrDefault(indicator.Id),
            await PublishedViews.MunicipalitiesStateAsync(session, ct), asOf);
        return PublishedViews.TryGet<IndicatorBreakdown>(key, out var kept) && kept is not null
            ? kept
            : PublishedViews.Keep(key, await ComputeBreakdownAsync(session, indicator, indicator.Breakdown, asOf, ct));
    }

    private static async Task<IndicatorBreakdown> ComputeBreakdownAsync(IQuerySession session, PublishedIndicator indicator,
        MunicipalBreakdown breakdown, DateOnly? asOf, CancellationToken ct)
    {
        var code = indicator.Id;
        var figures = (await MunicipalFiguresAsync(session, code, asOf, ct)).ToDictionary(f => f.MunicipalityCode, f => f.Latest);
        var municipalities = await session.Query<Municipality>().OrderBy(m => m.Id).ToListAsync(ct);
        var rows = municipalities.Select(m =>
        {
            var f = figures.GetValueOrDefault(m.Id);
            return new MunicipalFigureRow(m.Id, m.Details.Name, m.Details.NameRomaji, m.Details.Subprefecture, m.Details.SubprefectureRomaji,
                f?.Value, f?.Numerator, f?.Denominator, f?.Period, f?.AsOf, f?.PublishedOn, f?.Source);
        }).ToList();
        var latest = figures.Values.OfType<PublishedFigure>().MaxBy(f => f.AsOf)?.AsOf;
        var derived = MunicipalAggregation.Derive(
            figures.Where(f => f.Value?.AsOf == latest).Select(f => Part(f.Key, f.Value!)), MunicipalAggregation.ScaleOf(indicator.Unit)).FirstOrDefault();
        return new IndicatorBreakdown(code, indicator.NameJa, indicator.NameEn, indicator.Unit, indicator.UnitJa, breakdown.PrefectureFigure,
            asOf, indicator.Latest, derived, rows);
    }

    /// <summary>Every date of the recorded prefecture figure against what its municipalities' published figures add up to.</summary>
    public static async Task<IReadOnlyList<BreakdownCheckLine>?> CheckAsync(IQuerySession session, string code, DateOnly? asOf, CancellationToken ct = default)
    {
        if (await IndicatorAsync(session, code, asOf, ct) is not { Breakdown.PrefectureFigure: PrefectureFigure.Recorded } indicator) return null;
        var parts = await PartsAsync(session, code, asOf, ct);
        var registered = await session.Query<Municipality>().CountAsync(ct);
        var scale = MunicipalAggregation.ScaleOf(indicator.Unit);
        return MunicipalAggregation.Check(
            indicator.Figures.Select(f => (f.AsOf, f.Period, f.Value, f.Numerator, f.Denominator)), MunicipalAggregation.Derive(parts, scale), registered, scale);
    }

    private static async Task<PublishedIndicator> PublishedAsync(IQuerySession session, IndicatorProgress indicator, DateOnly? asOf, CancellationToken ct)
    {
        var published = indicator.Published();
        if (indicator.Breakdown?.PrefectureFigure != PrefectureFigure.Derived) return published;
        var municipal = await PublishedMunicipalAsync(session, indicator.Id, asOf, ct);
        var approvedOn = municipal.GroupBy(m => m.Figure.AsOf).ToDictionary(g => g.Key, g => g.Max(m => m.Figure.PublishedOn));
        var derived = MunicipalAggregation.Derive(municipal.Select(m => Part(m.Code, m.Figure)), MunicipalAggregation.ScaleOf(indicator.Unit))
            .Select(d => new PublishedFigure(DerivedId(indicator.Id, d.AsOf), d.Period, d.AsOf, d.Value, DerivedSource, null,
                approvedOn[d.AsOf], Numerator: d.Numerator, Denominator: d.Denominator, DerivedFromMunicipalities: d.Municipalities))
            .ToList();
        return published.WithFigures(derived);
    }

    private static async Task<IReadOnlyList<RatePart>> PartsAsync(IQuerySession session, string code, DateOnly? asOf, CancellationToken ct) =>
        (await PublishedMunicipalAsync(session, code, asOf, ct)).Select(m => Part(m.Code, m.Figure)).ToList();

    /// <summary>Every published figure of an indicator's municipalities, with the municipality's code.</summary>
    public static async Task<IReadOnlyList<(string Code, PublishedFigure Figure)>> PublishedMunicipalAsync(
        IQuerySession session, string code, DateOnly? asOf, CancellationToken ct = default) =>
        (await MunicipalFiguresAsync(session, code, asOf, ct))
            .SelectMany(m => m.Measurements.PublishedFigures().Select(f => (m.MunicipalityCode, f))).ToList();

    /// <summary>
    /// The map of an indicator's municipal figures on the date at <paramref name="step"/> (the latest when out of range),
    /// as published now or as known at the end of <paramref name="asOf"/>. Computed once per state of the indicator's
    /// stream and kept, like the indicator's own view: only the chosen date's figures are kept, not every figure.
    /// </summary>
    public static async Task<MunicipalMap> MapAsync(IQuerySession session, string code, DateOnly? asOf, int? step, CancellationToken ct = default)
    {
        var states = await PublishedViews.StatesAsync(session, code, ct);
        var key = (nameof(MunicipalMap), code, states.GetValueOrDefault(code), asOf, step);
        if (PublishedViews.TryGet<MunicipalMap>(key, out var kept) && kept is not null) return kept;

        var figures = await PublishedMunicipalAsync(session, code, asOf, ct);
        var dates = figures.Select(f => f.Figure.AsOf).Distinct().Order().ToList();
        var chosen = MunicipalMap.StepOf(step, dates.Count);
        // Of two figures of a municipality for one date, the later recorded.
        var shown = dates.Count == 0 ? new Dictionary<string, PublishedFigure>()
            : figures.Where(f => f.Figure.AsOf == dates[chosen]).GroupBy(f => f.Code).ToDictionary(g => g.Key, g => g.Last().Figure);
        var (min, max) = figures.Count == 0 ? (0m, 0m) : (figures.Min(f => f.Figure.Value), figures.Max(f => f.Figure.Value));
        return PublishedViews.Keep(key, new MunicipalMap(dates, chosen, shown, min, max));
    }

    private static RatePart Part(string municipality, PublishedFigure f) => new(municipality, f.AsOf, f.Period, f.Value, f.Numerator, f.Denominator);

    // A derived figure is not recorded: its id is made from what it is, so it stays the same from one read to the next.
    private static Guid DerivedId(string code, DateOnly asOf) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{code}/{asOf:yyyy-MM-dd}")));
}
