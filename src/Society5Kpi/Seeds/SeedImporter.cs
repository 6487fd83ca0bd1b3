using System.Collections.Immutable;
using FluentValidation;
using Marten;
using Society5Kpi.CouncilMeetings;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Municipalities.Registering;
using Society5Kpi.Municipalities.Figures;
using Society5Kpi.Roadmap.Planning;
using Society5Kpi.Roadmap.Progressing;
using Wolverine;

namespace Society5Kpi.Seeds;

public sealed record SeedImportReport(
    IReadOnlyList<SeedError> Errors, int IndicatorEvents, int MunicipalityEvents, int RoadmapEvents, int MeasurementsRecorded,
    int CouncilMeetingEvents, int RoadmapProgressEvents = 0)
{
    public bool Succeeded => Errors.Count == 0;
    public int EventsAppended => IndicatorEvents + MunicipalityEvents + RoadmapEvents + MeasurementsRecorded + CouncilMeetingEvents + RoadmapProgressEvents;
}

/// <summary>
/// Imports the plan from the seed files (seeds/ by default) as commands through the same Wolverine
/// handlers users' commands go through. Every row is parsed and validated first; if any is wrong,
/// the report lists file, line and column and nothing is written. Running it again appends only what changed.
/// </summary>
public sealed class SeedImporter(IMessageBus bus, IDocumentStore store, IServiceProvider services)
{
    public const string ChangedReason = "seed file changed";
    private const string ImportedBy = "seed-import";

    public async Task<SeedImportReport> ImportAsync(string directory, CancellationToken ct = default)
    {
        var errors = new List<SeedError>();
        var indicators = SeedFile.Read(directory, "indicators.csv", IndicatorColumns, ToDefineIndicator, errors);
        var municipalities = SeedFile.Read(directory, "municipalities.csv", MunicipalityColumns, ToRegisterMunicipality, errors);
        var roadmap = SeedFile.Read(directory, "roadmap.csv", RoadmapColumns, ToPlanRoadmapItem, errors);
        var measurements = SeedFile.Read(directory, "measurements.csv", MeasurementColumns, ToRecordMeasurement, errors)
            .Concat(SeedFile.Read(directory, MyNumberCardSeries.PrefectureFile, MyNumberCardSeries.PrefectureColumns, MyNumberCardSeries.ToRecordMeasurement, errors))
            .Concat(SeedFile.Read(directory, MyNumberCardSeries.MunicipalFile, MyNumberCardSeries.MunicipalColumns, MyNumberCardSeries.ToRecordMeasurement, errors))
            .ToList();
        var progress = SeedFile.Read(directory, "roadmap-progress.csv", RoadmapProgressColumns, ToReportRoadmapProgress, errors);
        var meetings = SeedFile.Read(directory, "council-meetings.csv", MeetingColumns, ToAddCouncilMeeting, errors);

        Validate(indicators, errors);
        Validate(municipalities, errors);
        Validate(roadmap, errors);
        Validate(meetings, errors);
        RejectDuplicates(indicators, c => c.Code, "code", errors);
        RejectDuplicates(municipalities, c => c.Code, "code", errors);
        RejectDuplicates(roadmap, c => c.Code, "code", errors);

        var defined = indicators.ToDictionary(i => i.Item.Code, i => i.Item, StringComparer.Ordinal);
        foreach (var (row, item) in roadmap)
            foreach (var code in item.LinkedIndicators.Where(c => !defined.ContainsKey(c)))
                row.Error("linked_indicators", $"there is no indicator '{code}' in indicators.csv");

        var registered = municipalities.Select(m => m.Item.Code).ToHashSet();
        var newMeasurements = await NewMeasurementsAsync(measurements, defined, registered, errors, ct);
        foreach (var (row, item) in progress.Where(p => !roadmap.Any(r => r.Item.Code == p.Item.Code)))
            row.Error("code", $"there is no roadmap item '{item.Code}' in roadmap.csv");
        if (errors.Count > 0) return new SeedImportReport(errors.OrderBy(e => e.File).ThenBy(e => e.Line).ToList(), 0, 0, 0, 0, 0);

        var indicatorEvents = 0;
        foreach (var (_, command) in indicators)
            indicatorEvents += (await bus.InvokeAsync<IndicatorDefinitionResult>(command, ct)).EventsAppended;
        var municipalityEvents = 0;
        foreach (var (_, command) in municipalities) municipalityEvents += await bus.InvokeAsync<int>(command, ct);
        var roadmapEvents = 0;
        foreach (var (_, command) in roadmap) roadmapEvents += await bus.InvokeAsync<int>(command, ct);
        await RecordAsync(newMeasurements, ct);
        var meetingEvents = 0;
        foreach (var (_, command) in meetings) meetingEvents += await bus.InvokeAsync<int>(command, ct);
        var progressEvents = await ReportProgressAsync(progress.Select(p => p.Item), ct);

        return new SeedImportReport([], indicatorEvents, municipalityEvents, roadmapEvents, newMeasurements.Count, meetingEvents, progressEvents);
    }

    /// <summary>
    /// Measurements are keyed by indicator, municipality (for a breakdown's figure), period and source: a row already
    /// recorded is skipped. A recorded figure whose value the file now changes is refused, since a correction needs a reason.
    /// </summary>
    private async Task<List<RecordMeasurement>> NewMeasurementsAsync(
        List<(SeedRow Row, RecordMeasurement Item)> rows, Dictionary<string, DefineIndicator> defined,
        HashSet<string> municipalities, List<SeedError> errors, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var stored = (await IndicatorProgress.WithMeasurementsAsync(session, await session.Query<IndicatorProgress>().ToListAsync(ct), ct)).ToDictionary(i => i.Id);
        var storedByMunicipality = await MunicipalFigures.OfIndicatorsAsync(session, stored.Keys, ct);
        var validators = new Dictionary<string, RecordMeasurementValidator>();
        var today = JapanTime.Today(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var seen = new HashSet<(string, string?, string?, string?)>();
        var fresh = new List<RecordMeasurement>();
        foreach (var (row, command) in rows)
        {
            if (!defined.TryGetValue(command.IndicatorCode, out var definition))
            {
                row.Error("indicator_code", $"there is no indicator '{command.IndicatorCode}' in indicators.csv");
                continue;
            }
            var validator = validators.TryGetValue(command.IndicatorCode, out var known) ? known
                : validators[command.IndicatorCode] = new RecordMeasurementValidator(IndicatorProgress.Create(definition.Definition()), today, municipalities.Contains);
            ReportInvalid(row, validator.Validate(command));

            var period = command.ParsedPeriod?.ToString() ?? command.Period;
            if (!seen.Add((command.IndicatorCode, command.MunicipalityCode, period, command.Source)))
            {
                row.Error("period", $"{command.IndicatorCode} {command.MunicipalityCode} {command.Period} from this source is listed twice");
                continue;
            }
            var existing = command.MunicipalityCode is { } m
                ? storedByMunicipality.GetValueOrDefault(MunicipalFigures.IdOf(command.IndicatorCode, m))?.RecordedFor(period, command.Source)
                : stored.GetValueOrDefault(command.IndicatorCode)?.RecordedFor(period, command.Source);
            if (existing is null) fresh.Add(command);
            else if (existing.Value != command.Value)
                row.Error("value", $"{command.IndicatorCode} {command.Period} is already recorded as {existing.Value}; " +
                                   "change a recorded figure with a correction (which keeps the earlier value), not in the seed file");
        }
        return fresh;
    }

    /// <summary>
    /// Appends the seeds' figures straight to their indicators' streams, in batches: thousands of figures (the card
    /// series has 8,280) through one command each would take minutes on a first start. They were checked above by the
    /// same validator as a command, and are the same events a command records.
    /// </summary>
    private async Task RecordAsync(IReadOnlyList<RecordMeasurement> figures, CancellationToken ct)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var batch in figures.Chunk(2_000))
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = ImportedBy;
            foreach (var indicator in batch.GroupBy(c => c.IndicatorCode))
                session.Events.Append(indicator.Key, indicator.Select(c => (object)c.ToEvent(Guid.CreateVersion7(now), now)).ToArray());
            await session.SaveChangesAsync(ct);
        }
    }

    /// <summary>What the documents report of the roadmap's progress: each fact once; a fact already recorded is skipped.</summary>
    private async Task<int> ReportProgressAsync(IEnumerable<ReportRoadmapProgress> facts, CancellationToken ct)
    {
        var appended = 0;
        foreach (var fact in facts)
        {
            await using var session = store.QuerySession();
            var item = await session.LoadAsync<RoadmapItem>(fact.Code, ct);
            if (item is null || item.Progress.Any(p => p.Kind == fact.Kind && p.FiscalYear?.ToString() == fact.FiscalYear)) continue;
            await bus.InvokeAsync<Roadmap.Progressing.RoadmapItemChanged>(fact, ct);
            appended++;
        }
        return appended;
    }

    private void Validate<T>(List<(SeedRow Row, T Item)> rows, List<SeedError> errors)
    {
        var validator = services.GetRequiredService<IValidator<T>>();
        foreach (var (row, item) in rows) ReportInvalid(row, validator.Validate(item));
    }

    private static void ReportInvalid(SeedRow row, FluentValidation.Results.ValidationResult result)
    {
        foreach (var failure in result.Errors) row.Error(SeedRow.SnakeCase(failure.PropertyName), failure.ErrorMessage);
    }

    private static void RejectDuplicates<T>(List<(SeedRow Row, T Item)> rows, Func<T, string> key, string column, List<SeedError> errors)
    {
        foreach (var group in rows.GroupBy(r => key(r.Item)).Where(g => g.Count() > 1))
        {
            var first = group.First().Row;
            foreach (var (row, _) in group.Skip(1))
                row.Error(column, $"duplicate code '{group.Key}' (first on line {first.Line})");
        }
    }

    private static readonly string[] IndicatorColumns =
    [
        "code", "area", "plan_indicator", "policy_ja", "policy_en", "name_ja", "name_en", "unit", "unit_ja", "direction", "measure",
        "baseline_value", "baseline_period", "baseline_basis", "target_value", "target_period", "frequency", "derived_from",
        "breakdown", "prefecture_figure", "numerator_ja", "numerator_en", "denominator_ja", "denominator_en", "note", "source"
    ];

    private static DefineIndicator ToDefineIndicator(SeedRow r) => new(
        r.Required("code"), r.Choice<Area>("area"), r.Text("policy_ja") ?? "", r.Text("policy_en") ?? "",
        r.Required("name_ja"), r.Required("name_en"), r.Text("unit") ?? "", r.Text("unit_ja") ?? "", r.Choice<Direction>("direction"),
        r.Choice<Measure>("measure"), r.Choice<ReportingFrequency>("frequency"), r.Flag("plan_indicator"),
        r.Number("baseline_value"), r.Period("baseline_period"), r.Text("baseline_basis"),
        r.Number("target_value"), r.Period("target_period"), r.Text("note"), r.Text("source"), ChangedReason,
        r.Text("derived_from") is null ? null : r.Choice<MunicipalityCount>("derived_from"), ToBreakdown(r));

    private static MunicipalBreakdown? ToBreakdown(SeedRow r)
    {
        var breakdown = r.Text("breakdown");
        if (breakdown is null) return null;
        if (breakdown != "municipality") r.Error("breakdown", $"unknown value '{breakdown}' (expected municipality, or empty)");
        return new MunicipalBreakdown(r.Text("prefecture_figure") is null ? PrefectureFigure.Recorded : r.Choice<PrefectureFigure>("prefecture_figure"),
            r.Text("numerator_ja"), r.Text("numerator_en"), r.Text("denominator_ja"), r.Text("denominator_en"));
    }

    private static readonly string[] MunicipalityColumns =
        ["code", "name", "name_kana", "name_romaji", "kind", "subprefecture", "subprefecture_romaji"];

    private static RegisterMunicipality ToRegisterMunicipality(SeedRow r) => new(
        r.Required("code"), r.Required("name"), r.Required("name_kana"), r.Required("name_romaji"),
        r.Choice<MunicipalityKind>("kind"), r.Required("subprefecture"), r.Required("subprefecture_romaji"), ChangedReason);

    private static readonly string[] RoadmapColumns =
        ["code", "track", "lane", "title_ja", "title_en", "planned_from", "planned_to", "linked_indicators", "note", "source"];

    private static PlanRoadmapItem ToPlanRoadmapItem(SeedRow r) => new(
        r.Required("code"), r.Choice<RoadmapTrack>("track"), r.Required("lane"), r.Required("title_ja"), r.Required("title_en"),
        r.Period("planned_from"), r.Period("planned_to"),
        (r.Text("linked_indicators") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToImmutableArray(),
        r.Text("note"), r.Text("source"), ChangedReason);

    private static readonly string[] MeetingColumns = ["date", "title_ja", "title_en", "source"];

    private static AddCouncilMeeting ToAddCouncilMeeting(SeedRow r) =>
        new(r.Date("date"), r.Required("title_ja"), r.Required("title_en"), r.Text("source"), ImportedBy);

    private static readonly string[] RoadmapProgressColumns =
        ["code", "kind", "fiscal_year", "new_planned_from", "new_planned_to", "date", "note", "source"];

    private static ReportRoadmapProgress ToReportRoadmapProgress(SeedRow r) => new(
        r.Required("code"), r.Choice<RoadmapProgressKind>("kind"), r.Text("fiscal_year"), r.Text("new_planned_from"), r.Text("new_planned_to"),
        r.Text("note"), r.Text("kind") == "deferred" ? r.Text("note") : null, ExpectedVersion: null, $"{ImportedBy} ({r.File}:{r.Line})",
        On: r.Date("date"), Source: r.Text("source"));

    private static readonly string[] MeasurementColumns = ["indicator_code", "period", "as_of", "value", "source", "note"];

    // A figure from a past document counts as known from the day after its as-of date (the end of that day, JST).
    private static RecordMeasurement ToRecordMeasurement(SeedRow r)
    {
        var asOf = r.Date("as_of");
        return new RecordMeasurement(
            r.Required("indicator_code"), r.Required("period"), asOf, r.Number("value"), r.Text("source"),
            r.Text("note"), ExpectedVersion: null, RecordedBy: $"{ImportedBy} ({r.File}:{r.Line})",
            KnownFrom: asOf is { } d ? JapanTime.StartOf(d.AddDays(1)) : null);
    }
}
