using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using Society5Kpi.Indicators;
using Society5Kpi.Infrastructure;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Seeds;
using Wolverine;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Importing;

/// <summary>Record the rows of a preview. Answered at once; the rows are recorded in the background (<see cref="ImportConfirmed"/>).</summary>
public sealed record ConfirmMeasurementImport(Guid Id, string ConfirmedBy);

/// <summary>A preview was confirmed: record its rows.</summary>
public sealed record ImportConfirmed(Guid Id);

public sealed record ImportAccepted(Guid Id, int Rows);

public sealed class ConfirmMeasurementImportValidator : AbstractValidator<ConfirmMeasurementImport>
{
    public ConfirmMeasurementImportValidator(ImportPreview? preview)
    {
        RuleFor(c => c.Id).Cascade(CascadeMode.Stop)
            .Must(_ => preview is not null).WithMessage("There is no such import.")
            .Must(_ => preview!.State == ImportState.Previewed)
            .WithMessage(_ => $"This import was already confirmed by {preview!.ConfirmedBy} at {preview.ConfirmedAt:yyyy-MM-dd HH:mm}.")
            .Must(_ => preview!.Rows.Count > 0)
            .WithMessage("This file has no rows to record (see its errors and skipped rows): nothing to confirm.");
        RuleFor(c => c.ConfirmedBy).NotEmpty();
    }
}

public static class ConfirmMeasurementImportHandler
{
    public static async Task<ImportAccepted> Handle(
        ConfirmMeasurementImport command, IDocumentSession session, IMessageContext messages, TimeProvider clock)
    {
        var preview = await session.LoadAsync<ImportPreview>(command.Id);
        await new ConfirmMeasurementImportValidator(preview).ValidateAndThrowAsync(command);
        session.Store(preview! with { State = ImportState.Importing, ConfirmedBy = command.ConfirmedBy, ConfirmedAt = clock.GetUtcNow() });
        // Sent through the outbox: only once the state above is committed.
        await messages.PublishAsync(new ImportConfirmed(command.Id));
        return new ImportAccepted(command.Id, preview!.Rows.Count);
    }
}

/// <summary>
/// Records a confirmed preview's rows one by one through the same command as a single entry, saving the
/// progress every <see cref="ProgressEvery"/> rows. A row whose figure someone recorded meanwhile, or that is
/// no longer valid, becomes an error; the others are still recorded. The queue is durable, so an import
/// interrupted by a restart carries on from the last saved progress.
/// </summary>
public static class ImportConfirmedHandler
{
    public const int ProgressEvery = 20;

    public static void RouteDurably(WolverineOptions opts) => opts.LocalQueueFor<ImportConfirmed>().UseDurableInbox();

    public static async Task Handle(ImportConfirmed message, IDocumentStore store, IMessageBus bus, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var preview = await session.LoadAsync<ImportPreview>(message.Id, ct);
        if (preview is not { State: ImportState.Importing }) return; // delivered again after it finished
        try
        {
            foreach (var row in preview.Rows.Skip(preview.Processed))
            {
                var errors = await RecordAsync(row, preview, store, bus, ct);
                preview = preview with
                {
                    Processed = preview.Processed + 1,
                    Recorded = preview.Recorded + (errors.Count == 0 ? 1 : 0),
                    Errors = preview.Errors.AddRange(errors)
                };
                if (preview.Processed % ProgressEvery == 0) await SaveAsync(session, preview, ct);
            }
            preview = preview with { State = ImportState.Done };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            preview = preview with { State = ImportState.Failed, Failure = e.Message };
        }
        await SaveAsync(session, preview, ct);
    }

    // Someone typing figures for the same indicator meanwhile moves its version: read it again and retry, this often.
    private const int Attempts = 10;

    /// <summary>Records one row unless its figure is there already; what went wrong, or nothing.</summary>
    private static async Task<IReadOnlyList<SeedError>> RecordAsync(
        ImportRow row, ImportPreview preview, IDocumentStore store, IMessageBus bus, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var query = store.QuerySession();
            var indicator = await query.LoadAsync<IndicatorProgress>(row.IndicatorCode, ct);
            var recorded = row.MunicipalityCode is { } municipality
                ? (await query.LoadAsync<Municipalities.Figures.MunicipalFigures>(Municipalities.Figures.MunicipalFigures.IdOf(row.IndicatorCode, municipality), ct))
                    ?.RecordedFor(row.Period, row.Source)
                : await RecordedFigure.RecordedForAsync(query, row.IndicatorCode, null, row.Period, row.Source, ct);
            if (recorded is not null)
                // The same figure by the same person: this import's own, recorded before a restart.
                return recorded.RecordedBy == preview.ConfirmedBy && recorded.Value == row.Value && recorded.AsOf == row.AsOf
                    ? []
                    : [Error(preview, row, "period", $"{row.IndicatorCode} {row.Period} was recorded meanwhile by {recorded.RecordedBy} ({recorded.Value})")];
            try
            {
                // The version just read: a figure written in between is caught and checked again.
                await bus.InvokeAsync<MeasurementAccepted>(row.ToCommand(preview.ConfirmedBy!, indicator?.Version), ct);
                return [];
            }
            catch (Exception e) when (e is StreamChangedException or JasperFx.ConcurrencyException && attempt < Attempts)
            {
                // Writes on the indicator are quick (its document is small): a jittered pause lets a burst of them pass
                // instead of spending every try inside it.
                await Task.Delay(TimeSpan.FromMilliseconds(attempt * 10 + Random.Shared.Next(10)), ct);
            }
            catch (Exception e) when (e is StreamChangedException or JasperFx.ConcurrencyException)
            {
                return [Error(preview, row, "indicator_code",
                    $"{row.IndicatorCode} kept changing while this row was recorded ({Attempts} tries): import the file again to record it")];
            }
            catch (ValidationException invalid)
            {
                return invalid.Errors.Select(f => Error(preview, row, SeedRow.SnakeCase(f.PropertyName), f.ErrorMessage)).ToList();
            }
        }
    }

    private static SeedError Error(ImportPreview preview, ImportRow row, string column, string message) =>
        new(preview.FileName, row.Line, column, message);

    private static async Task SaveAsync(IDocumentSession session, ImportPreview preview, CancellationToken ct)
    {
        session.Store(preview);
        await session.SaveChangesAsync(ct);
    }
}

public static class ConfirmMeasurementImportEndpoint
{
    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/imports/measurements/{id}/confirm")]
    public static async Task<IResult> Post(Guid id, IQuerySession session, IMessageBus bus, HttpContext http)
    {
        if (await ImportPreview.LoadAsync(session, id, http.User, http.RequestAborted) is null) return Results.NotFound();
        var accepted = await bus.InvokeAsync<ImportAccepted>(new ConfirmMeasurementImport(id, Caller.NameOf(http)), http.RequestAborted);
        return Results.Accepted($"/api/imports/measurements/{id}", accepted);
    }
}
