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
using Society5Kpi.Municipalities.Figures;
using Society5Kpi.Municipalities.Registering;
using Society5Kpi.Seeds;
using System.Globalization;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Importing;

/// <summary>Check an uploaded measurements file (CSV or .xlsx) and keep the result as an <see cref="ImportPreview"/>; nothing else is written.</summary>
public sealed record PreviewMeasurementImport(string FileName, byte[] Content, string Owner);

public sealed class PreviewMeasurementImportValidator : AbstractValidator<PreviewMeasurementImport>
{
    public PreviewMeasurementImportValidator()
    {
        RuleFor(c => c.Content)
            .NotEmpty().WithMessage("No file was sent, or the file is empty.")
            .Must(c => c.Length <= CsvUpload.MaxBytes).WithMessage("The file is larger than 5 MB: split it into several files.")
            // Text with NUL bytes is UTF-16 or not text at all, and no figure store can hold a NUL.
            .Must(c => Workbook.IsWorkbook(c) || !c.AsSpan().Contains((byte)0))
            .WithMessage("The file holds NUL bytes: save it as CSV (UTF-8 or Shift_JIS) or .xlsx; UTF-16 text and other binary files cannot be read.")
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
    private static readonly string[] Required = ["indicator_code", "period", "as_of", "value"];

    // Read and checked where present: source, note, unit (checked against the indicator), municipality with a rate's
    // numerator and denominator. name_ja and municipality_name, which the template writes, are there for people.
    private static readonly string[] Typed = ["period", "as_of", "value", "municipality", "numerator", "denominator"];

    public static async Task<ImportPreview> Handle(PreviewMeasurementImport command, IDocumentSession session, TimeProvider clock,
        ILogger<PreviewMeasurementImport> log)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await new PreviewMeasurementImportValidator().ValidateAndThrowAsync(command);
        var (content, encoding, encodingName) = Workbook.IsWorkbook(command.Content)
            ? (Workbook.FirstSheetAsCsv(command.Content), null, "Excel (.xlsx)")
            : CsvUpload.Detect(command.Content) is var (e, name) ? (command.Content, e, name) : default;
        var municipalities = new MunicipalityLookup(await session.Query<Municipality>().ToListAsync());
        var errors = new List<SeedError>();
        List<(SeedRow Row, Cells Item)> rows;
        using (var csv = CsvReader.Create(content, SeedFile.Options with { Encoding = encoding }))
            rows = SeedFile.Read(csv, command.FileName, Required, r => Read(r, command.Owner, municipalities), errors);

        var read = watch.Elapsed;
        var codes = rows.Select(r => r.Item.Command.IndicatorCode).Distinct().ToArray();
        var indicators = (await IndicatorProgress.WithMeasurementsAsync(session, await session.LoadManyAsync<IndicatorProgress>(codes))).ToDictionary(i => i.Id);
        var breakdowns = await MunicipalFigures.OfIndicatorsAsync(session, codes);
        var now = clock.GetUtcNow();
        var today = JapanTime.Today(now);
        var unreadable = errors.ToLookup(e => e.Line);
        var validators = indicators.ToDictionary(i => i.Key, i => new RecordMeasurementValidator(i.Value, today, code => municipalities.Find(code) is not null));
        var unknownIndicator = new RecordMeasurementValidator(null, today);
        var firstLine = new Dictionary<(string, string?, string, string?), int>();
        var toRecord = new List<ImportRow>();
        var skipped = new List<SkippedRow>();
        foreach (var (row, cells) in rows)
        {
            var measurement = cells.Command;
            var code = measurement.IndicatorCode;
            if (measurement is { AsOf: null, Value: null } && !unreadable.Contains(row.Line))
            {
                skipped.Add(new SkippedRow(row.Line, code, measurement.Period, SkipReason.NotFilledIn, MunicipalityCode: measurement.MunicipalityCode));
                continue;
            }
            var errorCount = errors.Count;
            // One message per column: a value that did not parse is not reported again as missing.
            var reported = unreadable[row.Line].Select(e => e.Column).ToHashSet();
            var indicator = indicators.GetValueOrDefault(code);
            foreach (var failure in validators.GetValueOrDefault(code, unknownIndicator).Validate(measurement).Errors)
            {
                var column = failure.PropertyName == nameof(RecordMeasurement.MunicipalityCode) ? "municipality" : SeedRow.SnakeCase(failure.PropertyName);
                if (reported.Add(column)) row.Error(column, failure.ErrorMessage);
            }
            if (cells.Unit is { } unit && indicator is not null && unit != indicator.Unit && unit != indicator.UnitJa)
                row.Error("unit", $"unit mismatch: {code} is counted in {indicator.Unit}, not {unit}");
            if (unreadable.Contains(row.Line) || errors.Count > errorCount) continue;

            var period = measurement.ParsedPeriod!.Value.ToString();
            var key = (code, measurement.MunicipalityCode, period, measurement.Source);
            if (firstLine.TryGetValue(key, out var first))
            {
                row.Error("period", $"{code} {cells.Municipality?.Details.Name} {period} from this source is listed twice (first on line {first})");
                continue;
            }
            firstLine[key] = row.Line;
            var recorded = measurement.MunicipalityCode is { } m
                ? breakdowns.GetValueOrDefault(MunicipalFigures.IdOf(code, m))?.RecordedFor(period, measurement.Source)
                : indicator!.RecordedFor(period, measurement.Source);
            if (recorded is not null)
                skipped.Add(new SkippedRow(row.Line, code, period, SkipReason.AlreadyRecorded, recorded.Value, measurement.MunicipalityCode));
            else
                toRecord.Add(new ImportRow(row.Line, code, period, measurement.AsOf!.Value, measurement.Value!.Value, measurement.Source, measurement.Note,
                    measurement.MunicipalityCode, cells.Municipality?.Details.Name, measurement.Numerator, measurement.Denominator,
                    AsTyped(cells, period, measurement)));
        }

        var preview = new ImportPreview
        {
            Id = Guid.CreateVersion7(now), Owner = command.Owner, FileName = command.FileName, Encoding = encodingName, CreatedAt = now,
            Rows = [..toRecord], Skipped = [..skipped], Errors = [..errors.OrderBy(e => e.Line)]
        };
        session.Store(preview);
        log.LogInformation("Preview {Id} of {Rows} rows: read in {Read:F0} ms, checked in {Checked:F0} ms", preview.Id, rows.Count,
            read.TotalMilliseconds, (watch.Elapsed - read).TotalMilliseconds);
        return preview;
    }

    /// <summary>A row's cells as read: the command they make, the municipality found, and the cells as they were typed.</summary>
    private sealed record Cells(RecordMeasurement Command, string? Unit, Municipality? Municipality, IReadOnlyDictionary<string, string> Typed);

    private static Cells Read(SeedRow r, string owner, MunicipalityLookup municipalities)
    {
        var typedMunicipality = r.Text("municipality");
        var municipality = municipalities.Find(typedMunicipality);
        if (typedMunicipality is not null && municipality is null)
            r.Error("municipality", $"'{typedMunicipality}' is not one of Hokkaido's 179 municipalities (accepted: {MunicipalityLookup.Forms})");
        var command = new RecordMeasurement(
            r.Required("indicator_code"), r.Required("period"), r.Date("as_of"), r.Number("value"), r.Text("source"), r.Text("note"),
            ExpectedVersion: null, RecordedBy: owner,
            MunicipalityCode: municipality?.Id ?? (typedMunicipality is null ? null : typedMunicipality.Trim()),
            Numerator: r.Number("numerator"), Denominator: r.Number("denominator"));
        var typed = Typed.Select(c => (c, Text: r.Text(c))).Where(c => c.Text is not null).ToDictionary(c => c.c, c => c.Text!);
        return new Cells(command, r.Text("unit"), municipality, typed);
    }

    /// <summary>The cells whose normalised form differs from what was typed, as typed.</summary>
    private static IReadOnlyDictionary<string, string>? AsTyped(Cells cells, string period, RecordMeasurement m)
    {
        var normalised = new Dictionary<string, string?>
        {
            ["period"] = period, ["as_of"] = m.AsOf?.ToString("yyyy-MM-dd"), ["value"] = m.Value?.ToString(CultureInfo.InvariantCulture),
            ["municipality"] = m.MunicipalityCode, ["numerator"] = m.Numerator?.ToString(CultureInfo.InvariantCulture),
            ["denominator"] = m.Denominator?.ToString(CultureInfo.InvariantCulture)
        };
        var differing = cells.Typed.Where(c => normalised.GetValueOrDefault(c.Key) != c.Value).ToDictionary(c => c.Key, c => c.Value);
        return differing.Count == 0 ? null : differing;
    }
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
        if ((await ReadFormAsync(request, ct)).Files.GetFile("file") is not { } file) return ("", []);
        await using var stream = file.OpenReadStream();
        return (file.FileName, await CsvUpload.ReadAsync(stream, ct));
    }

    // A form cut off before its closing boundary, or with a broken part, is the sender's fault: a 400, not an I/O failure.
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !ct.IsCancellationRequested)
        {
            throw new BadHttpRequestException($"The multipart form could not be read (cut off, or a part is malformed): {e.Message}", e);
        }
    }
}
