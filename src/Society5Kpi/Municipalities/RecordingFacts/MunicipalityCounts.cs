using JasperFx.Events;
using Marten;
using Society5Kpi.Municipalities.Registering;
using Wolverine;

namespace Society5Kpi.Municipalities.RecordingFacts;

public sealed record SubprefectureOpenData(string Subprefecture, string SubprefectureRomaji, int Municipalities, int OpenDataStarted);

/// <summary>
/// The municipality counts the plan's indicators quote, derived from the facts recorded per municipality
/// (never typed in separately). Stored once under Id "municipalities"; computed on demand for a past date.
/// </summary>
public sealed record MunicipalityCounts(
    string Id, DateOnly? AsOf, int Registered, int OpenDataStarted, int DataLinkagePlatformBuilt,
    int DataLinkagePlatformBuiltOrPlanned, IReadOnlyList<SubprefectureOpenData> BySubprefecture)
{
    public const string StoredId = "municipalities";

    /// <summary>The count an indicator derived from municipality facts quotes.</summary>
    public int Of(Domain.MunicipalityCount count) => count switch
    {
        Domain.MunicipalityCount.OpenDataStarted => OpenDataStarted,
        Domain.MunicipalityCount.DataLinkagePlatformBuilt => DataLinkagePlatformBuilt,
        _ => DataLinkagePlatformBuiltOrPlanned
    };

    /// <summary>
    /// The counts, with asOf counting only facts dated on or before that day. Each municipality keeps only its
    /// latest fact of each kind, so a platform reported Planned and later Built counts from the Built date only.
    /// A pure function: recomputing is always safe.
    /// </summary>
    public static MunicipalityCounts Of(IReadOnlyList<Municipality> municipalities, DateOnly? asOf)
    {
        bool Dated(DateOnly? day) => day is { } d && (asOf is null || d <= asOf);
        bool OpenData(Municipality m) => Dated(m.OpenDataStartedOn);
        bool Platform(Municipality m, params DataLinkagePlatformState[] states) =>
            m.DataLinkagePlatform is { } p && Dated(p.AsOf) && states.Contains(p.State);

        return new MunicipalityCounts(StoredId, asOf, municipalities.Count,
            municipalities.Count(OpenData),
            municipalities.Count(m => Platform(m, DataLinkagePlatformState.Built)),
            municipalities.Count(m => Platform(m, DataLinkagePlatformState.Built, DataLinkagePlatformState.Planned)),
            municipalities
                .GroupBy(m => (m.Details.Subprefecture, m.Details.SubprefectureRomaji))
                // In code-list order of each subprefecture's first municipality (Ishikari from Sapporo 011002, ...).
                .OrderBy(g => g.Min(m => m.Id))
                .Select(g => new SubprefectureOpenData(g.Key.Subprefecture, g.Key.SubprefectureRomaji, g.Count(), g.Count(OpenData)))
                .ToList());
    }
}

/// <summary>
/// Keeps the stored counts in step: Marten forwards each committed municipality event to Wolverine, and this
/// handler recomputes the counts from all municipalities. Its events go to one sequential local queue
/// (RouteOneAtATime) so that a recount that read older data never overwrites a newer one.
/// </summary>
public static class MunicipalityCountsHandler
{
    public const string Queue = "municipality-counts";

    /// <summary>Called from Society5KpiSetup. Without it each event type gets its own parallel queue.</summary>
    public static void RouteOneAtATime(WolverineOptions opts) => opts.Publish(p =>
    {
        p.Message<IEvent<MunicipalityRegistered>>();
        p.Message<IEvent<MunicipalityDetailsRevised>>();
        p.Message<IEvent<MunicipalityStartedOpenData>>();
        p.Message<IEvent<MunicipalityDataLinkagePlatformReported>>();
        p.ToLocalQueue(Queue).Sequential();
    });

    public static Task Handle(IEvent<MunicipalityRegistered> e, IDocumentSession session) => Refresh(session);
    // A revision can move a municipality to another subprefecture.
    public static Task Handle(IEvent<MunicipalityDetailsRevised> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<MunicipalityStartedOpenData> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<MunicipalityDataLinkagePlatformReported> e, IDocumentSession session) => Refresh(session);

    // 179 small documents: one query.
    public static async Task Refresh(IDocumentSession session) =>
        session.Store(MunicipalityCounts.Of(await session.Query<Municipality>().ToListAsync(), null));
}
