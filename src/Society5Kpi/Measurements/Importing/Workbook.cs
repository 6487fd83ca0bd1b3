using System.Globalization;
using CsvHelper;
using MiniExcelLibs;

namespace Society5Kpi.Measurements.Importing;

/// <summary>
/// Excel workbooks (.xlsx) for the secretariat, who work in Excel: saving as CSV and choosing an encoding is where they
/// lose data. A workbook's first sheet is read as the same table a CSV is, so one set of checks serves both.
/// </summary>
public static class Workbook
{
    /// <summary>An .xlsx is a zip file: it starts with "PK\x03\x04".</summary>
    public static bool IsWorkbook(byte[] content) => content.AsSpan().StartsWith("PK\u0003\u0004"u8);

    /// <summary>The first sheet as UTF-8 CSV, one record per row, cells written as a person would type them.</summary>
    public static byte[] FirstSheetAsCsv(byte[] xlsx)
    {
        using var input = new MemoryStream(xlsx);
        var rows = MiniExcel.Query(input, useHeaderRow: false, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        using var output = new MemoryStream();
        using (var csv = CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true))
            foreach (var row in rows)
            {
                foreach (var cell in row.Values.Take(width)) csv.WriteField(Text(cell));
                csv.EndRecord();
            }
        return output.ToArray();
    }

    /// <summary>A sheet with a header row and these rows, written as an .xlsx.</summary>
    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sheet = rows.Select(r => header.Select((h, i) => (h, i)).ToDictionary(c => c.h, c => (object?)r[c.i])).ToList();
        using var output = new MemoryStream();
        output.SaveAs(sheet.Count > 0 ? sheet : [header.ToDictionary(h => h, _ => (object?)null)], excelType: ExcelType.XLSX);
        return output.ToArray();
    }

    // Dates come as dates and numbers as doubles: write them in forms the import reads, exactly.
    private static string Text(object? cell) => cell switch
    {
        null => "",
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        // Beyond decimal's range the cast would throw: written as it is, the row's value check refuses it.
        double n when double.IsFinite(n) && Math.Abs(n) < 7.9e28 => ((decimal)n).ToString(CultureInfo.InvariantCulture),
        double n => n.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? ""
    };
}
