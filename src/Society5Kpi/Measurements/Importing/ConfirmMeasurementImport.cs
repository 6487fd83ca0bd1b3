using System.Diagnostics;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using Society5Kpi.Indicators;
using Society5Kpi.Infrastructure;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Domain;
using Society5Kpi.Seeds;
using Wolverine;
using Wolverine.Attributes;
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
        // The preview's version is checked: of two confirmations at once, one fails. Its rows are not written again
        // after this: the progress has its own small document.
        session.Store(preview! with { State = ImportState.Importing, ConfirmedBy = command.ConfirmedBy, ConfirmedAt = clock.GetUtcNow() });
        session.Store(new ImportProgress { Id = command.Id });
        // Sent through the outbox: only once the state above is committed.
        await messages.PublishAsync(new ImportConfirmed(command.Id));
        return new ImportAccepted(command.Id, preview!.Rows.Count);
    }
}

/// <summary>
/// Records a confirmed preview's rows in batches (<see cref="BatchSizeFor"/>): each batch in one transaction with the
/// import's progress, so an import interrupted by a restart (the queue is durable) carries on exactly after the last
/// batch committed, with no row twice and none left out. Each row is checked by the validator a single entry uses, built
/// once per indicator and batch against the indicator as it is then. A row whose figure someone recorded meanwhile, or
/// that is no longer valid, becomes an error; the others are still recorded.
/// </summary>
public static class ImportConfirmedHandler
{
    /// <summary>
    /// Rows per transaction: a tenth of the file, so its progress shows in steps and a restart loses little, but at least
    /// 100 (a transaction's cost shared by many rows) and at most 5,000 (a batch commits in about a second).
    /// </summary>
    public static int BatchSizeFor(int rows) => Math.Clamp(rows / 10, 100, 5_000);

    // Someone typing figures for the same indicator meanwhile moves its version: the batch is read again and retried, this often.
    private const int Attempts = 10;

    public static void RouteDurably(WolverineOptions opts) => opts.LocalQueueFor<ImportConfirmed>().UseDurableInbox();

    // Wolverine cancels a local message's handler after 60 s by default; a file of up to 5 MB (about 120,000 rows) is
    // given an hour. Each batch is committed as it goes, so even then nothing recorded is lost or written twice.
    [MessageTimeout(3600)]
    public static async Task Handle(ImportConfirmed message, IDocumentStore store, TimeProvider clock, ILogger<ImportConfirmed> log, CancellationToken ct)
    {
        ImportPreview? preview;
        ImportProgress? progress;
        await using (var query = store.QuerySession())
        {
            preview = await query.LoadAsync<ImportPreview>(message.Id, ct);
            progress = await query.LoadAsync<ImportProgress>(message.Id, ct);
        }
        if (preview is null || progress is not { State: ImportState.Importing }) return; // delivered again after it finished
        try
        {
            foreach (var batch in preview.Rows.Skip(progress.Processed).Chunk(BatchSizeFor(preview.Rows.Count)))
                progress = await RecordBatchAsync(batch, preview, progress, store, clock, log, ct);
            progress = progress with { State = ImportState.Done };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What is committed stays: the progress says how far it got.
            progress = progress with { State = ImportState.Failed, Failure = e.Message };
        }
        await using var session = store.LightweightSession();
        session.Store(progress);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Records one batch of rows and the progress after it, in one transaction; the progress committed.</summary>
    private static async Task<ImportProgress> RecordBatchAsync(
        ImportRow[] batch, ImportPreview preview, ImportProgress progress, IDocumentStore store, TimeProvider clock,
        ILogger log, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var watch = Stopwatch.StartNew();
            await using var session = store.LightweightSession();
            session.LastModifiedBy = preview.ConfirmedBy;
            // Every event an import writes carries its id: which figures came from which file.
            session.CorrelationId = preview.Id.ToString();
            var errors = new List<SeedError>();
            var recorded = 0;
            foreach (var rows in batch.GroupBy(r => r.IndicatorCode))
                recorded += await AppendAsync(session, rows.Key, rows.ToList(), preview, clock.GetUtcNow(), errors, ct);
            var next = progress with
            {
                Processed = progress.Processed + batch.Length,
                Recorded = progress.Recorded + recorded,
                Errors = progress.Errors.AddRange(errors)
            };
            session.Store(next);
            var prepared = watch.Elapsed;
            try
            {
                // The commit includes the inline projections of the appended events (the indicator, the municipalities' figures).
                await session.SaveChangesAsync(ct);
                log.LogInformation("Import {Id}: rows {From}-{To} checked in {Prepared:F0} ms, committed in {Committed:F0} ms",
                    preview.Id, progress.Processed + 1, next.Processed, prepared.TotalMilliseconds, (watch.Elapsed - prepared).TotalMilliseconds);
                return next;
            }
            catch (Exception e) when (ExpectedVersion.LostARace(e) && attempt < Attempts)
            {
                // Writes on an indicator are quick (its document is small): a jittered pause lets a burst of them pass
                // instead of spending every try inside it.
                await Task.Delay(TimeSpan.FromMilliseconds(attempt * 10 + Random.Shared.Next(10)), ct);
            }
            catch (Exception e) when (ExpectedVersion.LostARace(e))
            {
                // Nothing of this batch was written: its rows are errors, the import goes on with the next batch.
                var refused = progress with
                {
                    Processed = progress.Processed + batch.Length,
                    Errors = progress.Errors.AddRange(batch.Select(row => Error(preview, row, "indicator_code",
                        $"{row.IndicatorCode} kept changing while this row was recorded ({Attempts} tries): import the file again to record it")))
                };
                await using var retry = store.LightweightSession();
                retry.Store(refused);
                await retry.SaveChangesAsync(ct);
                return refused;
            }
        }
    }

    /// <summary>Appends the valid, not yet recorded rows of one indicator to its stream; how many. The others go to <paramref name="errors"/>.</summary>
    private static async Task<int> AppendAsync(IDocumentSession session, string code, List<ImportRow> rows, ImportPreview preview,
        DateTimeOffset now, List<SeedError> errors, CancellationToken ct)
    {
        // Opened for writing: if anyone writes to the indicator before this batch commits, the commit fails and the batch is read again.
        var stream = await IndicatorStream.FetchAsync(session, code, expectedVersion: null);
        var municipalityCodes = rows.Where(r => r.MunicipalityCode is not null).Select(r => r.MunicipalityCode!).Distinct().ToArray();
        HashSet<string> registered = municipalityCodes.Length == 0 ? [] :
            (await session.LoadManyAsync<Municipalities.Registering.Municipality>(ct, municipalityCodes)).Select(m => m.Id).ToHashSet();
        var validator = new RecordMeasurementValidator(stream.Aggregate, JapanTime.Today(now), registered.Contains);
        // The figures already recorded for the batch's periods, by (municipality or "" for the indicator's own, period,
        // source): one query on the figures' (indicator, period, source) index.
        var periods = rows.Select(r => r.Period).Distinct().ToArray();
        var recordedBefore = (await session.Query<RecordedFigure>()
                .Where(f => f.IndicatorCode == code && f.Period.IsOneOf(periods)).ToListAsync(ct))
            .GroupBy(f => (f.MunicipalityCode ?? "", f.Period, f.Source))
            .ToDictionary(g => g.Key, g => g.MinBy(f => f.Sequence)!.Entry);

        var events = new List<object>(rows.Count);
        foreach (var row in rows)
        {
            if (recordedBefore.TryGetValue((row.MunicipalityCode ?? "", row.Period, row.Source), out var recorded))
            {
                errors.Add(Error(preview, row, "period", $"{row.IndicatorCode} {row.Period} was recorded meanwhile by {recorded.RecordedBy} ({recorded.Value})"));
                continue;
            }
            var command = row.ToCommand(preview.ConfirmedBy!, expectedVersion: null);
            var invalid = validator.Validate(command);
            if (!invalid.IsValid)
            {
                errors.AddRange(invalid.Errors.Select(f => Error(preview, row, SeedRow.SnakeCase(f.PropertyName), f.ErrorMessage)));
                continue;
            }
            events.Add(command.ToEvent(Guid.CreateVersion7(now), now));
        }
        if (events.Count > 0) stream.AppendMany(events);
        return events.Count;
    }

    private static SeedError Error(ImportPreview preview, ImportRow row, string column, string message) =>
        new(preview.FileName, row.Line, column, message);
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
