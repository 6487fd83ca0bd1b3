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
/// Confirming it records <see cref="Rows"/> in the background; <see cref="Processed"/> says how far it has got.
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

    /// <summary>The preview if <paramref name="user"/> may see it (its owner, or an administrator), else null.</summary>
    public static async Task<ImportPreview?> LoadAsync(IQuerySession session, Guid id, ClaimsPrincipal user, CancellationToken ct = default) =>
        await session.LoadAsync<ImportPreview>(id, ct) is { } preview
        && (preview.Owner == user.Identity?.Name || user.IsInRole(Roles.Administrator))
            ? preview
            : null;
}
