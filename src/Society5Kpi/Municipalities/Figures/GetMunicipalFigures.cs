using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Listing;
using Society5Kpi.Municipalities.Registering;
using Wolverine.Http;

namespace Society5Kpi.Municipalities.Figures;

/// <summary>One indicator's published figures for one municipality.</summary>
public sealed record MunicipalIndicatorFigures(
    string IndicatorCode, string NameJa, string NameEn, string Unit, string UnitJa, PublishedFigure? Latest, IReadOnlyList<PublishedFigure> Figures);

/// <summary>A municipality, its recorded facts, and its published figures across indicators.</summary>
/// <param name="Version">The municipality's stream version, for the next fact's expectedVersion.</param>
public sealed record MunicipalityView(
    string Id, long Version, MunicipalityRegistered Details, DateOnly? OpenDataStartedOn, string? OpenDataPortalUrl,
    RecordingFacts.DataLinkagePlatformReport? DataLinkagePlatform, IReadOnlyList<MunicipalIndicatorFigures> Figures);

public static class GetMunicipalFiguresEndpoints
{
    /// <summary>The 179 municipalities with each one's latest published figure, now or as known at the end of ?asOf=.</summary>
    [WolverineGet("/api/indicators/{code}/municipalities")]
    public static async Task<IResult> Get(string code, string? asOf, IQuerySession session, CancellationToken ct) =>
        await PublicPlan.BreakdownAsync(session, code, AsOfDate.Parse(asOf), ct) is { } breakdown ? Results.Ok(breakdown) : Results.NotFound();

    /// <summary>Each date of the recorded prefecture figure beside what its municipalities' published figures add up to.</summary>
    [WolverineGet("/api/indicators/{code}/municipalities/check")]
    public static async Task<IResult> Check(string code, string? asOf, IQuerySession session, CancellationToken ct) =>
        await PublicPlan.CheckAsync(session, code, AsOfDate.Parse(asOf), ct) is { } check ? Results.Ok(check) : Results.NotFound();

    [WolverineGet("/api/municipalities/{code}")]
    public static async Task<IResult> GetMunicipality(string code, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<Municipality>(code, ct) is not { } municipality) return Results.NotFound();
        var indicators = (await session.Query<IndicatorProgress>().ToListAsync(ct)).ToDictionary(i => i.Id);
        var figures = (await MunicipalFigures.OfIndicatorsAsync(session, indicators.Keys, ct, municipalityCode: code)).Values;
        return Results.Ok(new MunicipalityView(municipality.Id, municipality.Version, municipality.Details, municipality.OpenDataStartedOn, municipality.OpenDataPortalUrl,
            municipality.DataLinkagePlatform,
            figures.OrderBy(f => f.IndicatorCode).Select(f =>
            {
                var indicator = indicators[f.IndicatorCode];
                return new MunicipalIndicatorFigures(f.IndicatorCode, indicator.NameJa, indicator.NameEn, indicator.Unit, indicator.UnitJa,
                    f.Latest, f.Measurements.PublishedFigures().OrderBy(p => p.AsOf).ToList());
            }).ToList()));
    }
}
