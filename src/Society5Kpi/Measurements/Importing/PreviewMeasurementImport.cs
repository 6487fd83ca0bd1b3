using System.Text;
using CsvHelper;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Infrastructure;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Seeds;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Importing;

/// <summary>Check an uploaded measurements CSV and keep the result as an <see cref="ImportPreview"/>; nothing else is written.</summary>
public sealed record PreviewMeasurementImport(string FileName, byte[] Content, string Owner);

public sealed class PreviewMeasurementImportValidator : AbstractValidator<PreviewMeasurementImport>
{
    public PreviewMeasurementImportValidator()
    {
        RuleFor(c => c.Content)
            .NotEmpty().WithMessage("No file was sent, or the file is empty.")
            .Must(c => c.Length <= CsvUpload.MaxBytes).WithMessage("The file is larger than 5 MB: split it into several files.")
            .OverridePropertyName("file");
        RuleFor(c => c.Owner).NotEmpty();
    }
}

/// <summary>Uploaded CSV bytes: bounded in size, and in UTF-8 (with or without BOM) or Shift_JIS as Japanese Excel saves it.</summary>
public static class CsvUpload
{
    public const int MaxBytes = 5 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static readonly Encoding ShiftJis = LoadShiftJis();

    private static Encoding LoadShiftJis()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932);
    }

    /// <summary>Reads one byte more than allowed at most, so that a larger file is refused without reading it all.</summary>
    public static async Task<byte[]> ReadAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxBytes + 1];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return buffer[..read];
    }

    /// <summary>The encoding for the reader (null: UTF-8, a BOM skipped) and its name for the preview.</summary>
    public static (Encoding? Encoding, string Name) Detect(byte[] content)
    {
        if (content.AsSpan().StartsWith(Encoding.UTF8.Preamble)) return (null, "UTF-8 (BOM)");
        try
        {
            StrictUtf8.GetCharCount(content);
            return (null, "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (ShiftJis, "Shift_JIS");
        }
    }
}

public static class PreviewMeasurementImportHandler
{
    // name_ja and unit, which the template writes, may be there too; unit is checked, name_ja ignored.
    private static readonly string[] Columns = ["indicator_code", "period", "as_of", "value", "source", "note"];

    public static async Task<ImportPreview> Handle(PreviewMeasurementImport command, IDocumentSession session, TimeProvider clock)
    {
        await new PreviewMeasurementImportValidator().ValidateAndThrowAsync(command);
        var (encoding, encodingName) = CsvUpload.Detect(command.Content);
        var errors = new List<SeedError>();
        List<(SeedRow Row, (RecordMeasurement Command, string? Unit) Item)> rows;
        using (var csv = CsvReader.Create(command.Content, SeedFile.Options with { Encoding = encoding }))
            rows = SeedFile.Read(csv, command.FileName, Columns, r => (ToCommand(r, command.Owner), r.Text("unit")), errors);

        var codes = rows.Select(r => r.Item.Command.IndicatorCode).Distinct().ToArray();
        var indicators = (await session.LoadManyAsync<IndicatorProgress>(codes)).ToDictionary(i => i.Id);
        var now = clock.GetUtcNow();
        var today = JapanTime.Today(now);
        var unreadable = errors.ToLookup(e => e.Line);
        var firstLine = new Dictionary<(string, string, string?), int>();
        var toRecord = new List<ImportRow>();
        var skipped = new List<SkippedRow>();
        foreach (var (row, (measurement, unit)) in rows)
        {
            var code = measurement.IndicatorCode;
            if (measurement is { AsOf: null, Value: null } && !unreadable.Contains(row.Line))
            {
                skipped.Add(new SkippedRow(row.Line, code, measurement.Period, SkipReason.NotFilledIn));
                continue;
            }
            var errorCount = errors.Count;
            // One message per column: a value that did not parse is not reported again as missing.
            var reported = unreadable[row.Line].Select(e => e.Column).ToHashSet();
            var indicator = indicators.GetValueOrDefault(code);
            foreach (var failure in new RecordMeasurementValidator(indicator, today).Validate(measurement).Errors)
            {
                var column = SeedRow.SnakeCase(failure.PropertyName);
                if (reported.Add(column)) row.Error(column, failure.ErrorMessage);
            }
            if (unit is not null && indicator is not null && unit != indicator.Unit && unit != indicator.UnitJa)
                row.Error("unit", $"unit mismatch: {code} is counted in {indicator.Unit}, not {unit}");
            if (unreadable.Contains(row.Line) || errors.Count > errorCount) continue;

            var period = Period.Parse(measurement.Period!).ToString();
            if (firstLine.TryGetValue((code, period, measurement.Source), out var first))
            {
                row.Error("period", $"{code} {period} from this source is listed twice (first on line {first})");
                continue;
            }
            firstLine[(code, period, measurement.Source)] = row.Line;
            if (indicator!.RecordedFor(period, measurement.Source) is { } recorded)
                skipped.Add(new SkippedRow(row.Line, code, period, SkipReason.AlreadyRecorded, recorded.Value));
            else
                toRecord.Add(new ImportRow(row.Line, code, period, measurement.AsOf!.Value, measurement.Value!.Value, measurement.Source, measurement.Note));
        }

        var preview = new ImportPreview
        {
            Id = Guid.CreateVersion7(now), Owner = command.Owner, FileName = command.FileName, Encoding = encodingName, CreatedAt = now,
            Rows = [..toRecord], Skipped = [..skipped], Errors = [..errors.OrderBy(e => e.Line)]
        };
        session.Store(preview);
        return preview;
    }

    private static RecordMeasurement ToCommand(SeedRow r, string owner) => new(
        r.Required("indicator_code"), r.Required("period"), r.Date("as_of"), r.Number("value"), r.Text("source"), r.Text("note"),
        ExpectedVersion: null, RecordedBy: owner);
}

public static class MeasurementImportEndpoints
{
    /// <summary>The CSV as the multipart form field "file", or as the whole body (text/csv; ?fileName= names it).</summary>
    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/imports/measurements")]
    public static async Task<IResult> Post(Wolverine.IMessageBus bus, HttpContext http)
    {
        var (fileName, content) = await ReadUploadAsync(http.Request, http.RequestAborted);
        var preview = await bus.InvokeAsync<ImportPreview>(
            new PreviewMeasurementImport(fileName, content, Caller.NameOf(http)), http.RequestAborted);
        return Results.Created($"/api/imports/measurements/{preview.Id}", preview);
    }

    /// <summary>Only its owner or an administrator sees a preview; to anyone else it does not exist (404).</summary>
    [Authorize(Policy = Policies.Enter)]
    [WolverineGet("/api/imports/measurements/{id}")]
    public static Task<ImportPreview?> Get(Guid id, IQuerySession session, HttpContext http) =>
        ImportPreview.LoadAsync(session, id, http.User, http.RequestAborted);

    // A body that is a file as it is: CSV or text, or bytes a spreadsheet program saved.
    private static readonly string[] FileTypes = ["text/csv", "text/plain", "application/octet-stream", "application/vnd.ms-excel"];

    private static async Task<(string FileName, byte[] Content)> ReadUploadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType && !FileTypes.Any(t => request.ContentType?.StartsWith(t, StringComparison.OrdinalIgnoreCase) == true))
            throw new ValidationException("Send the file as multipart/form-data (field \"file\") or as the body (Content-Type: text/csv).",
                [new FluentValidation.Results.ValidationFailure("file", $"'{request.ContentType}' is not a file upload: send multipart/form-data with the field \"file\", or the CSV itself as text/csv.")]);
        if (!request.HasFormContentType)
            return (request.Query["fileName"].FirstOrDefault() ?? "upload.csv", await CsvUpload.ReadAsync(request.Body, ct));
        if ((await request.ReadFormAsync(ct)).Files.GetFile("file") is not { } file) return ("", []);
        await using var stream = file.OpenReadStream();
        return (file.FileName, await CsvUpload.ReadAsync(stream, ct));
    }
}
