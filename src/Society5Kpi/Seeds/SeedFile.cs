using System.Globalization;
using CsvHelper;
using Society5Kpi.Domain;

namespace Society5Kpi.Seeds;

/// <summary>What is wrong with a seed file, and where.</summary>
public sealed record SeedError(string File, int Line, string Column, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Column}: {Message}";
}

/// <summary>One data row of a seed file: typed reads of its columns that note what does not parse.</summary>
public sealed class SeedRow(string file, int line, CsvReader csv, List<SeedError> errors)
{
    public string File => file;
    public int Line => line;

    public void Error(string column, string message) => errors.Add(new SeedError(file, line, column, message));

    /// <summary>The trimmed text of a column, or null when it is empty or (an optional column) not in the header.</summary>
    public string? Text(string column)
    {
        var value = csv.TryGetFieldIndex(column, out var index) ? csv.GetString(index).Trim() : "";
        return value.Length == 0 ? null : value;
    }

    public string Required(string column)
    {
        var value = Text(column);
        if (value is null) Error(column, "is empty");
        return value ?? "";
    }

    // Numbers, periods and dates are read in every form a person types (see JapaneseInput): 1,620 and １，６２０,
    // 令和4年度 and FY2022, 2023/6/30 and 令和5年6月30日. What is still ambiguous is refused with the forms accepted.
    public decimal? Number(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (JapaneseInput.TryNumber(text, out var value)) return value;
        Error(column, $"'{text}' is not a number (accepted: {JapaneseInput.NumberForms})");
        return null;
    }

    public Period? Period(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (JapaneseInput.TryPeriod(text, out var period)) return period;
        Error(column, $"'{text}' is not a period (accepted: {JapaneseInput.PeriodForms})");
        return null;
    }

    public DateOnly? Date(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (JapaneseInput.TryDate(text, out var date)) return date;
        Error(column, $"'{text}' is not a date (accepted: {JapaneseInput.DateForms})");
        return null;
    }

    public bool Flag(string column)
    {
        var text = Text(column);
        if (text is null || bool.TryParse(text, out var value) is false)
        {
            Error(column, $"'{text}' is not true or false");
            return false;
        }
        return value;
    }

    /// <summary>An enum written in snake case (data_roadmap, fy2022_pillar).</summary>
    public T Choice<T>(string column) where T : struct, Enum
    {
        var text = Text(column);
        if (text is not null && Enum.TryParse<T>(text.Replace("_", ""), ignoreCase: true, out var value) && Enum.IsDefined(value))
            return value;
        var allowed = string.Join(", ", Enum.GetNames<T>().Select(SnakeCase));
        Error(column, text is null ? $"is empty (expected one of {allowed})" : $"unknown value '{text}' (expected one of {allowed})");
        return default;
    }

    public static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

public static class SeedFile
{
    // Excel leaves rows of empty cells (",,,,") below the data when a sheet is saved as CSV: they are not rows.
    public static CsvReaderOptions Options => CsvReaderOptions.Default with
    {
        TrackLineNumbers = true, Separator = ',', ShouldSkipRecord = IsBlank
    };

    private static bool IsBlank(CsvRow record)
    {
        for (var i = 0; i < record.FieldCount; i++)
            if (!string.IsNullOrWhiteSpace(record.GetString(i))) return false;
        return true;
    }

    /// <summary>Reads every data row of a CSV file (UTF-8, with or without BOM) through <paramref name="map"/>.</summary>
    public static List<(SeedRow Row, T Item)> Read<T>(
        string directory, string fileName, IReadOnlyCollection<string> columns, Func<SeedRow, T> map, List<SeedError> errors)
    {
        var path = Path.Combine(directory, fileName);
        if (!System.IO.File.Exists(path))
        {
            errors.Add(new SeedError(fileName, 0, "", "file is missing"));
            return [];
        }

        using var csv = CsvReader.FromFile(path, Options);
        return Read(csv, fileName, columns, map, errors);
    }

    /// <summary>Reads every data row of <paramref name="csv"/> (created with <see cref="Options"/>) through <paramref name="map"/>.</summary>
    public static List<(SeedRow Row, T Item)> Read<T>(
        CsvReader csv, string fileName, IReadOnlyCollection<string> columns, Func<SeedRow, T> map, List<SeedError> errors)
    {
        var rows = new List<(SeedRow, T)>();
        csv.ReadHeader();
        var missing = columns.Where(c => !csv.Headers.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new SeedError(fileName, 1, string.Join(", ", missing), "column missing from the header"));
            return rows;
        }
        while (csv.Read())
        {
            var row = new SeedRow(fileName, (int)csv.LineNumber, csv, errors);
            rows.Add((row, map(row)));
        }
        return rows;
    }
}
