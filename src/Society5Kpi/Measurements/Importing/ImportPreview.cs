using System.Collections.Immutable;
using System.Security.Claims;
using Marten;
using Marten.Schema;
using Society5Kpi.Accounts;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Seeds;

namespace Society5Kpi.Measurements.Importing;

public enum ImportState { Previewed, Importing, Done, Failed }

public enum SkipReason { AlreadyRecorded, NotFilledIn }

/// <summary>
/// A row that passed every check: what confirming the import records, each value in its normalised form.
/// <paramref name="AsTyped"/> keeps, by column, what the file said where it differs (令和4年度 for FY2022), so the preview
/// shows how each cell was read and nothing is guessed silently.
/// </summary>
public sealed record ImportRow(int Line, string IndicatorCode, string Period, DateOnly AsOf, decimal Value, string? Source, string? Note,
    string? MunicipalityCode = null, string? MunicipalityName = null, decimal? Numerator = null, decimal? Denominator = null,
    IReadOnlyDictionary<string, string>? AsTyped = null)
{
    public RecordMeasurement ToCommand(string recordedBy, long? expectedVersion) =>
        new(IndicatorCode, Period, AsOf, Value, Source, Note, expectedVersion, recordedBy,
            MunicipalityCode: MunicipalityCode, Numerator: Numerator, Denominator: Denominator);
}

/// <param name="RecordedValue">For a figure already recorded: its value, which may differ from the file's.</param>
public sealed record SkippedRow(int Line, string IndicatorCode, string? Period, SkipReason Reason, decimal? RecordedValue = null,
    string? MunicipalityCode = null);

public sealed record ImportCounts(int ToRecord, int Skipped, int Errors);

/// <summary>
/// An uploaded measurements file, checked row by row. A work file, not plan data: a plain document, not events.
/// Stored once when checked, and once more when confirmed (its state); confirming records <see cref="Rows"/> in the background,
/// and <see cref="ImportProgress"/> says how far it has got (<see cref="LoadAsync"/> shows both together).
/// Optimistic concurrency: of two confirmations at once, one fails instead of both starting an import.
/// </summary>
[UseOptimisticConcurrency]
public sealed record ImportPreview
{
    public Guid Id { get; init; }
    public string Owner { get; init; } = "";
    public string FileName { get; init; } = "";
    public string Encoding { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public ImmutableList<ImportRow> Rows { get; init; } = [];
    public ImmutableList<SkippedRow> Skipped { get; init; } = [];
    /// <summary>Rows that cannot be recorded: found by the preview, or (appended) when confirmed.</summary>
    public ImmutableList<SeedError> Errors { get; init; } = [];
    public ImportState State { get; init; }
    /// <summary>How many of <see cref="Rows"/> the confirmation has handled, recorded or refused.</summary>
    public int Processed { get; init; }
    public int Recorded { get; init; }
    public string? ConfirmedBy { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public string? Failure { get; init; }

    public ImportCounts Counts => new(Rows.Count, Skipped.Count, Errors.Count);

    /// <summary>
    /// The preview if <paramref name="user"/> may see it (its owner, or an administrator), else null; once confirmed,
    /// with how far the import has got (<see cref="ImportProgress"/>).
    /// </summary>
    public static async Task<ImportPreview?> LoadAsync(IQuerySession session, Guid id, ClaimsPrincipal user, CancellationToken ct = default) =>
        await LoadCheckedAsync(session, id, user, ct) is { } preview ? await preview.WithProgressAsync(session, ct) : null;

    /// <summary>The preview as the check stored it (no progress yet), if <paramref name="user"/> may see it.</summary>
    public static async Task<ImportPreview?> LoadCheckedAsync(IQuerySession session, Guid id, ClaimsPrincipal user, CancellationToken ct = default) =>
        await session.LoadAsync<ImportPreview>(id, ct) is { } preview && (preview.Owner == user.Identity?.Name || user.IsInRole(Roles.Administrator))
            ? preview
            : null;

    /// <summary>This preview, as checked, with how far its import has got: reads the small progress document, not the rows again.</summary>
    public async Task<ImportPreview> WithProgressAsync(IQuerySession session, CancellationToken ct = default) =>
        await session.LoadAsync<ImportProgress>(Id, ct) is { } progress ? progress.Of(this) : this;
}

/// <summary>
/// How far a confirmed import has got: small, and saved in the same transaction as each batch of recorded rows, so that
/// after a crash the import carries on exactly after the last batch committed. The rows stay in the <see cref="ImportPreview"/>,
/// written once when the file was checked.
/// </summary>
public sealed record ImportProgress
{
    public Guid Id { get; init; }
    public ImportState State { get; init; } = ImportState.Importing;
    /// <summary>How many of the preview's rows have been handled, recorded or refused, in file order.</summary>
    public int Processed { get; init; }
    public int Recorded { get; init; }
    /// <summary>Rows refused when recorded (someone recorded the figure meanwhile, or it is no longer valid).</summary>
    public ImmutableList<SeedError> Errors { get; init; } = [];
    public string? Failure { get; init; }

    /// <summary>The preview as its reader sees it: its rows, with this progress and the errors found while recording.</summary>
    public ImportPreview Of(ImportPreview preview) => preview with
    {
        State = State, Processed = Processed, Recorded = Recorded, Errors = preview.Errors.AddRange(Errors), Failure = Failure
    };
}
