using System.Globalization;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace Society5Kpi.Drill;

/// <summary>One generated request: where it goes, as whom, with which headers and body, and what was done to it.</summary>
public sealed record FuzzCase(int Index, FuzzEndpoint Endpoint, string Method, string Url, string? User,
    IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body, string? ContentType, string What)
{
    public bool IsWrite => Method is not ("GET" or "HEAD" or "OPTIONS");
}

/// <summary>
/// Malformed requests, generated from a seed: case <c>i</c> of seed <c>s</c> is always the same request (its own
/// System.Random of (s, i)), so one failing case replays alone. Endpoints are taken in turn, so that every endpoint gets
/// its share; each case spoils one to three of: route values, query string, headers, body.
/// </summary>
public sealed class FuzzingCases(int seed, IReadOnlyList<FuzzEndpoint> endpoints, FuzzingVocabulary words)
{
    public FuzzCase Make(int index)
    {
        var rng = new Random(unchecked(seed * 1_000_003 + index * 7919));
        var endpoint = endpoints[index % endpoints.Count];
        var what = new List<string>();
        var method = rng.Next(40) == 0 ? Pick(rng, ["PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "POST", "GET"]) : endpoint.Method;
        if (method != endpoint.Method) what.Add($"method {method}");

        var spoil = new HashSet<string>();
        var parts = method is "GET" or "HEAD" or "OPTIONS" ? new[] { "route", "query", "headers" } : new[] { "route", "query", "headers", "body", "body" };
        for (var n = 1 + rng.Next(3); spoil.Count < n && spoil.Count < parts.Distinct().Count();) spoil.Add(Pick(rng, parts));

        var path = RoutePath(rng, endpoint, spoil.Contains("route"), what);
        var query = spoil.Contains("query") || rng.Next(4) == 0 ? QueryString(rng, endpoint, what) : "";
        var user = Caller(rng, endpoint);
        var headers = spoil.Contains("headers") ? Headers(rng, what) : [];
        byte[]? body = null;
        string? contentType = null;
        if (method is not ("GET" or "HEAD" or "OPTIONS"))
            (body, contentType) = spoil.Contains("body") ? Body(rng, endpoint, what) : (Encoding.UTF8.GetBytes(PlausibleJson(rng)), "application/json");
        return new FuzzCase(index, endpoint, method, path + query, user, headers, body, contentType,
            what.Count == 0 ? "plausible" : string.Join("; ", what));
    }

    // ---- callers ----------------------------------------------------------------------------------------------

    /// <summary>Mostly someone the endpoint lets in (the administrator holds every role), so the input reaches its checks.</summary>
    private static string? Caller(Random rng, FuzzEndpoint endpoint) => rng.Next(10) switch
    {
        0 => null,
        < 7 when endpoint.Policy is not null => TargetApp.Administrator,
        < 5 => null,
        _ => Pick(rng, TargetApp.Staff.Select(s => s.User).ToArray())
    };

    // ---- route values -----------------------------------------------------------------------------------------

    private string RoutePath(Random rng, FuzzEndpoint endpoint, bool spoil, List<string> what)
    {
        var path = endpoint.Route;
        foreach (var name in endpoint.RouteValues)
        {
            string value;
            if (spoil && rng.Next(3) > 0)
            {
                var raw = rng.Next(5) == 0 ? Pick(rng, BadEscapes) : Hostile(rng, maxLength: rng.Next(10) == 0 ? 10_000 : 1000);
                value = raw.Contains('%') && rng.Next(2) == 0 ? raw : Escape(raw);
                what.Add($"{{{name}}}={Show(raw)}");
            }
            else value = Escape(RealValueFor(rng, name));
            path = ReplaceParameter(path, name, value);
        }
        return path;
    }

    private string RealValueFor(Random rng, string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower.Contains("measurement") && words.MeasurementIds.Count > 0) return Pick(rng, words.MeasurementIds);
        if (lower == "id" && words.PreviewIds.Count > 0 && rng.Next(2) == 0) return Pick(rng, words.PreviewIds);
        if (lower == "id" && rng.Next(3) == 0) return RandomGuid(rng);
        if (lower == "culture") return Pick(rng, ["en", "ja-JP", "ja"]);
        if (lower == "documentname") return "v1";
        return words.StreamKeys.Count > 0 ? Pick(rng, words.StreamKeys) : "DAT-01";
    }

    /// <summary>Puts a value where {name}, {name:constraint}, {name?} or {*name} stands in the route template.</summary>
    private static string ReplaceParameter(string route, string name, string value)
    {
        var start = route.IndexOf("{" + name, StringComparison.Ordinal);
        if (start < 0) start = route.IndexOf("{*" + name, StringComparison.Ordinal);
        if (start < 0) start = route.IndexOf("{**" + name, StringComparison.Ordinal);
        if (start < 0) return route;
        var end = route.IndexOf('}', start);
        return route[..start] + value + route[(end + 1)..];
    }

    // ---- query strings ----------------------------------------------------------------------------------------

    private string QueryString(Random rng, FuzzEndpoint endpoint, List<string> what)
    {
        var pairs = new List<string>();
        for (var n = 1 + rng.Next(4); pairs.Count < n;)
        {
            var key = endpoint.QueryKeys.Count > 0 && rng.Next(10) < 7 ? Pick(rng, endpoint.QueryKeys)
                : rng.Next(8) == 0 ? Hostile(rng, maxLength: 40)
                : words.AllQueryKeys.Count > 0 ? Pick(rng, words.AllQueryKeys) : "asOf";
            // Mostly short enough for Kestrel's 8 KB request line, so that the value reaches the app.
            var value = rng.Next(20) switch
            {
                < 8 => Pick(rng, Dates),
                < 14 => Hostile(rng, maxLength: 2000),
                < 15 => new string('9', 500 + rng.Next(9000)),
                _ => words.StreamKeys.Count > 0 ? Pick(rng, words.StreamKeys) : "x"
            };
            var encodedValue = rng.Next(8) == 0 ? Pick(rng, BadEscapes) : Escape(value);
            var pair = rng.Next(12) == 0 ? Escape(key) : $"{Escape(key)}={encodedValue}";
            pairs.Add(pair);
            if (rng.Next(6) == 0) pairs.Add(pair); // the same key twice
            what.Add($"?{Show(key)}={Show(value)}");
        }
        return "?" + string.Join("&", pairs);
    }

    private static readonly string[] Dates =
    [
        "0001-01-01", "9999-12-31", "10000-01-01", "-0001-01-01", "1868-01-24", "1900-01-01", "2100-01-01", "2024-02-30",
        "2024-13-01", "2024-00-10", "2023-02-29", "2024-01-01T25:61", "20240101", "2024/1/1", "令和6年4月1日", "令和99年度",
        "平成31年5月1日", "昭和64年1月8日", "明治元年", "R6", "FY2024", "FY2024Q3", "FY2024Q5", "FY0Q1", "FY99999Q1", "2024年度",
        "第3四半期", "today", "", "  ", "2024-06-30", "2019-05-01", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999+14:00"
    ];

    private static readonly string[] BadEscapes = ["%", "%Z", "%ZZ", "%u1234", "%C0%AF", "%FF%FE", "%00", "%E3%81", "%%%", "%2e%2e%2f%2e%2e", "+%20+"];

    // ---- headers ----------------------------------------------------------------------------------------------

    private static List<(string, string)> Headers(Random rng, List<string> what)
    {
        var headers = new List<(string, string)>();
        for (var n = 1 + rng.Next(3); headers.Count < n;)
        {
            var (name, values) = Pick(rng, HeaderValues);
            var value = rng.Next(15) == 0 ? new string('a', 5000 + rng.Next(40_000)) : Pick(rng, values);
            headers.Add((name, value));
            what.Add($"{name}: {Show(value)}");
        }
        return headers;
    }

    private static readonly (string, string[])[] HeaderValues =
    [
        ("Accept", ["application/json", "text/html", "*/*", "application/xml", "image/svg+xml", "text/csv", "application/ld+json",
            "application/json;q=abc", "garbage", "", "text/html, application/json;q=0.1, */*;q=0.0", "application/*+json", ";;;", "text/event-stream"]),
        ("Accept-Language", ["en", "ja-JP", "zz-ZZ", "*", "x;q=2", "en-US,en;q=0.9,ja;q=0.8", ";;q=", "-", "i-klingon", "ja-JP-u-ca-japanese"]),
        ("Cookie", ["s5k.session=garbage", "s5k.session=", ".AspNetCore.Culture=c=xx|uic=yy", ".AspNetCore.Culture=c%3Dzz-ZZ%7Cuic%3Dzz-ZZ",
            ".AspNetCore.Culture=%ZZ", ".AspNetCore.Antiforgery.abc=zzz", "a=b; a=c; ;;=", "s5k.session=CfDJ8" + new string('A', 300), "=;=;="]),
        ("If-None-Match", ["*", "\"abc\"", "W/\"x\"", "garbage", "\"", "\"a\", \"b\", W/\"c\"", "W/"]),
        ("If-Modified-Since", ["garbage", "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "0"]),
        ("Range", ["bytes=0-0", "bytes=-1", "bytes=abc", "bytes=9999999999-", "bytes=0-1,2-3,4-5", "items=0-1", "bytes=5-1", "bytes="]),
        ("Origin", ["https://evil.example", "null", "http://127.0.0.1", "file://", "garbage"]),
        ("Sec-Fetch-Site", ["cross-site", "same-origin", "none", "garbage"]),
        ("X-Forwarded-For", ["garbage", "127.0.0.1, ::1, 999.999.1.1", ""]),
        ("Content-Encoding", ["gzip", "br", "garbage"]),
        ("Accept-Encoding", ["gzip", "br", "deflate;q=abc", "garbage", "identity;q=0"]),
        ("Referer", ["garbage", "https://evil.example/", "javascript:alert(1)"]),
        ("User-Agent", ["", "Mozilla/5.0", "'; drop table x;--"])
    ];

    // ---- bodies -----------------------------------------------------------------------------------------------

    private (byte[], string?) Body(Random rng, FuzzEndpoint endpoint, List<string> what)
    {
        // Files more often for the upload, JSON for the rest; but every body kind goes to every write.
        var kind = endpoint.Class == EndpointClass.Upload ? rng.Next(10) switch { < 4 => "csv", < 7 => "xlsx", < 9 => "multipart", _ => "json" }
            : rng.Next(10) switch { < 7 => "json", 7 => "csv", 8 => "multipart", _ => "other" };
        switch (kind)
        {
            case "csv":
                var (csv, csvWhat) = Csv(rng);
                what.Add("CSV: " + csvWhat);
                return (csv, Pick(rng, ["text/csv", "text/csv; charset=shift_jis", "text/plain", "application/octet-stream", "application/vnd.ms-excel", "text/csv; charset=garbage"]));
            case "xlsx":
                var (xlsx, xlsxWhat) = Xlsx(rng);
                what.Add("xlsx: " + xlsxWhat);
                return (xlsx, Pick(rng, ["application/octet-stream", "application/vnd.ms-excel", "text/csv"]));
            case "multipart":
                return Multipart(rng, what);
            case "other":
                var other = rng.Next(4) switch
                {
                    0 => ("a=1&b=%ZZ&value=NaN", "application/x-www-form-urlencoded"),
                    1 => ("<xml/>", "application/xml"),
                    2 => ("", (string?)null),
                    _ => (new string('x', 100), "text/plain")
                };
                what.Add($"body {Show(other.Item1)} as {other.Item2 ?? "no type"}");
                return (Encoding.UTF8.GetBytes(other.Item1), other.Item2);
            default:
                return Json(rng, what);
        }
    }

    private (byte[], string?) Json(Random rng, List<string> what)
    {
        var shape = Pick(rng, words.BodyShapes);
        var fields = shape.Fields.Where(_ => rng.Next(5) > 0).Select(f => (f.Field, Raw: PlausibleToken(rng, f.Type))).ToList();
        for (var n = 1 + rng.Next(3); n > 0; n--)
        {
            if (fields.Count == 0 || rng.Next(6) == 0) fields.Add((rng.Next(2) == 0 ? "unknownField" : Pick(rng, shape.Fields).Field, HostileToken(rng)));
            else
            {
                var i = rng.Next(fields.Count);
                fields[i] = (fields[i].Field, HostileToken(rng));
            }
        }
        var text = "{" + string.Join(",", fields.Select(f => $"\"{f.Field}\":{f.Raw}")) + "}";
        what.Add($"{shape.Name} JSON {Show(text)}");
        var structural = rng.Next(10);
        if (structural < 3) text = Structural(rng, text, what);
        var contentType = rng.Next(4) == 0 ? Pick(rng, JsonContentTypes) : "application/json";
        if (contentType != "application/json") what.Add($"Content-Type: {contentType}");
        var bytes = rng.Next(12) switch
        {
            0 => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(),
            1 => ShiftJis.GetBytes(text),
            2 => Encoding.UTF8.GetBytes(text).Concat(new byte[] { 0xFF, 0xFE, 0xC0, 0x80 }).ToArray(),
            3 => Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(),
            _ => Encoding.UTF8.GetBytes(text)
        };
        return (bytes, contentType);
    }

    private static string Structural(Random rng, string json, List<string> what)
    {
        var (result, name) = rng.Next(9) switch
        {
            0 => (json[..rng.Next(json.Length)], "truncated"),
            1 => (new string('[', 500 + rng.Next(5000)) + new string(']', 10), "deep array nesting"),
            2 => (string.Concat(Enumerable.Repeat("{\"a\":", 200 + rng.Next(2000))) + "1" + new string('}', 50), "deep object nesting"),
            3 => ($"[{json}]", "an array"),
            4 => (Pick(rng, ["1", "\"x\"", "null", "true", "NaN", "[]", "", " "]), "a bare value"),
            5 => (json + ",", "trailing garbage"),
            6 => (json.Replace('"', '\''), "single quotes"),
            7 => ("/* c */" + json, "a comment"),
            _ => (json.Insert(Math.Min(json.Length, 1), "\"dup\":1,\"dup\":2,"), "duplicate keys")
        };
        what.Add(name);
        return result;
    }

    private static readonly string[] JsonContentTypes =
    [
        "application/json; charset=utf-8", "application/json; charset=utf-16", "application/json; charset=shift_jis", "application/json; charset=bogus",
        "text/json", "application/problem+json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data", "multipart/form-data; boundary=",
        "application/json;;;", "*/*", "application/json; charset=\"", "application/merge-patch+json"
    ];

    /// <summary>A plausible body for any of the app's request shapes: the baseline a spoiled case differs from.</summary>
    private string PlausibleJson(Random rng)
    {
        var shape = Pick(rng, words.BodyShapes);
        return "{" + string.Join(",", shape.Fields.Select(f => $"\"{f.Field}\":{PlausibleToken(rng, f.Type)}")) + "}";
    }

    private string PlausibleToken(Random rng, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(decimal) || type == typeof(double)) return (rng.Next(0, 100_000) / 100m).ToString(CultureInfo.InvariantCulture);
        if (type == typeof(long) || type == typeof(int)) return rng.Next(0, 300).ToString(CultureInfo.InvariantCulture);
        if (type == typeof(bool)) return rng.Next(2) == 0 ? "true" : "false";
        if (type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset)) return Quote(Pick(rng, ["2024-06-30", "2023-12-31", "2025-03-31"]));
        if (type == typeof(Guid)) return Quote(words.MeasurementIds.Count > 0 ? Pick(rng, words.MeasurementIds) : Guid.Empty.ToString());
        if (type.IsEnum) return Quote(Pick(rng, Enum.GetNames(type)));
        if (type != typeof(string)) return "null";
        return Quote(rng.Next(3) == 0 && words.StreamKeys.Count > 0 ? Pick(rng, words.StreamKeys) : Pick(rng, PlausibleStrings));
    }

    private static readonly string[] PlausibleStrings =
        ["FY2024Q3", "2024-06-30", "令和6年度", "2024年度", "確定値に差し替え", "総務省 調査", "https://www.pref.hokkaido.lg.jp/", "sato", "ok", "１，６２０", "62.5%"];

    private static string HostileToken(Random rng) => rng.Next(3) == 0 ? Quote(Hostile(rng)) : Pick(rng, HostileTokens);

    private static readonly string[] HostileTokens =
    [
        "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "1e400", "-1e400", "1e-400", "79228162514264337593543950336", "-79228162514264337593543950336",
        "9223372036854775808", "-9223372036854775809", "0.00000000000000000000000000001", "1.00000000000000000000000000001", "-0", "00012", "0x1F", "+1", ".5",
        "\"\"", "\"   \"", "null", "true", "false", "[]", "{}", "[[[[]]]]", "{\"a\":{\"b\":[1,2,{}]}}", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"",
        "\"\\udc00x\"", "\"\\uffff\"", "\"\\x41\"", "\"unterminated", "'single'", "undefined", "1,", "\"\\\"", "-", "1 2", "\"2024-02-30\"", "\"9999-12-31\"",
        "\"0001-01-01\"", "-1", "0", "1.5e308", "\"１２３\"", "\"1,620\"", "123456789012345678901234567890.123456789"
    ];

    // ---- CSV and xlsx files -----------------------------------------------------------------------------------

    private static readonly Encoding ShiftJis = LoadShiftJis();

    private static Encoding LoadShiftJis()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932);
    }

    /// <summary>The import template's columns (as the app writes them), rows of plausible and hostile cells, then spoiled.</summary>
    private (byte[], string) Csv(Random rng)
    {
        var template = Encoding.UTF8.GetString(words.CsvTemplate).TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        var header = template[0].Split(',').ToList();
        var what = new List<string>();
        var columns = new List<string>(header);
        switch (rng.Next(6))
        {
            case 0: columns.RemoveAt(rng.Next(columns.Count)); what.Add("a column missing"); break;
            case 1: columns.Add(Pick(rng, header)); what.Add("a column twice"); break;
            case 2: columns = columns.OrderBy(_ => rng.Next()).ToList(); what.Add("columns shuffled"); break;
            case 3: columns.Add(Hostile(rng, 30)); what.Add("an unknown column"); break;
            case 4: columns[rng.Next(columns.Count)] = Pick(rng, ["ＩＮＤＩＣＡＴＯＲ_ＣＯＤＥ", " value ", "VALUE", "値", ""]); what.Add("a column renamed"); break;
        }
        var rows = new List<string> { string.Join(",", columns) };
        var templateRows = template.Skip(1).Select(l => l.Split(',')).ToList();
        for (var r = rng.Next(12) == 0 ? 0 : 1 + rng.Next(rng.Next(10) == 0 ? 400 : 8); r > 0; r--)
        {
            var source = templateRows.Count > 0 ? Pick(rng, templateRows) : [];
            rows.Add(string.Join(",", columns.Select(c =>
            {
                var i = header.IndexOf(c);
                var cell = rng.Next(4) switch
                {
                    0 => Hostile(rng, 300),
                    1 => Pick(rng, Dates),
                    2 => (rng.NextDouble() * Math.Pow(10, rng.Next(-5, 40))).ToString("R", CultureInfo.InvariantCulture),
                    _ => i >= 0 && i < source.Length && source[i].Length > 0 ? source[i] : Pick(rng, PlausibleStrings)
                };
                return rng.Next(8) == 0 ? "\"" + cell : cell.Contains(',') || cell.Contains('"') || cell.Contains('\n') ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
            })));
        }
        var text = string.Join(rng.Next(4) == 0 ? "\n" : "\r\n", rows);
        byte[] bytes;
        switch (rng.Next(9))
        {
            case 0: bytes = ShiftJis.GetBytes(text); what.Add("Shift_JIS"); break;
            case 1:
                bytes = rows.SelectMany((row, i) => (i % 2 == 0 ? ShiftJis : Encoding.UTF8).GetBytes(row + "\r\n")).ToArray();
                what.Add("Shift_JIS and UTF-8 rows mixed"); break;
            case 2: bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(); what.Add("UTF-16"); break;
            case 3:
                bytes = Encoding.UTF8.GetBytes(text);
                for (var k = 0; k < 1 + rng.Next(20) && bytes.Length > 0; k++) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                what.Add("garbage bytes"); break;
            case 4: bytes = Encoding.UTF8.GetBytes(text); bytes = bytes[..rng.Next(bytes.Length + 1)]; what.Add("truncated"); break;
            case 5: bytes = new byte[rng.Next(1, 4000)]; rng.NextBytes(bytes); what.Add("random bytes"); break;
            case 6: bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.Replace(',', rng.Next(2) == 0 ? ';' : '\t'))).ToArray(); what.Add("; or tab separated"); break;
            default: bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(); break;
        }
        if (rng.Next(300) == 0)
        {
            bytes = bytes.Concat(new byte[5 * 1024 * 1024]).ToArray();
            what.Add("over 5 MB");
        }
        what.Add($"{rows.Count - 1} rows");
        return (bytes, string.Join(", ", what));
    }

    private (byte[], string) Xlsx(Random rng)
    {
        switch (rng.Next(8))
        {
            case 0:
                return (words.XlsxTemplate[..rng.Next(words.XlsxTemplate.Length)], "the template truncated");
            case 1:
                var flipped = (byte[])words.XlsxTemplate.Clone();
                for (var k = 0; k < 1 + rng.Next(30); k++) flipped[rng.Next(flipped.Length)] ^= (byte)(1 + rng.Next(255));
                return (flipped, "the template with bytes flipped");
            case 2:
                var garbage = new byte[rng.Next(10, 5000)];
                rng.NextBytes(garbage);
                return ("PK\u0003\u0004"u8.ToArray().Concat(garbage).ToArray(), "a zip signature, then garbage");
            case 3:
                return (ZipBomb(rng), "a small zip bomb (a sheet that inflates to tens of MB)");
            case 4:
                return (Zip(("hello.txt", Encoding.UTF8.GetBytes("not a workbook"))), "a zip that is not a workbook");
            default:
                return (Workbook(rng), "a workbook with typed cells (huge numbers, extreme dates, text)");
        }
    }

    /// <summary>A real workbook (MiniExcel, as the app reads) with the template's columns and cells of every type.</summary>
    private byte[] Workbook(Random rng)
    {
        var header = Encoding.UTF8.GetString(words.CsvTemplate).TrimStart('\uFEFF').Split('\n')[0].TrimEnd('\r').Split(',');
        var rows = Enumerable.Range(0, 1 + rng.Next(6)).Select(_ => header.ToDictionary(h => h, h => rng.Next(5) switch
        {
            0 => (object?)Pick(rng, [1e300, -1e300, 1e-300, 7.9228162514264338e28, 1e29, double.MaxValue, double.Epsilon, 0.1 + 0.2, -0.0]),
            1 => Pick(rng, [DateTime.MinValue, DateTime.MaxValue, new DateTime(1900, 1, 1), new DateTime(2024, 6, 30, 13, 5, 0)]),
            2 => Hostile(rng, 200),
            3 => rng.Next(2) == 0 ? (object)true : long.MaxValue,
            _ => h.Contains("code") && words.StreamKeys.Count > 0 ? Pick(rng, words.StreamKeys) : Pick(rng, PlausibleStrings)
        })).ToList();
        using var output = new MemoryStream();
        output.SaveAs(rows, excelType: ExcelType.XLSX);
        return output.ToArray();
    }

    /// <summary>The template workbook with its first sheet replaced by one that inflates from a few KB to tens of MB.</summary>
    private byte[] ZipBomb(Random rng)
    {
        using var template = new ZipArchive(new MemoryStream(words.XlsxTemplate), ZipArchiveMode.Read);
        var entries = template.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, Bytes: copy.ToArray());
        }).ToList();
        var sheet = entries.FindIndex(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        if (rng.Next(2) == 0) xml.Append(' ', 20_000_000 + rng.Next(20_000_000));
        else for (var r = 1; r <= 20_000 + rng.Next(30_000); r++) xml.Append("<row r=\"").Append(r).Append("\"><c r=\"A").Append(r).Append("\" t=\"inlineStr\"><is><t>DAT-01</t></is></c></row>");
        xml.Append("</sheetData></worksheet>");
        if (sheet >= 0) entries[sheet] = (entries[sheet].FullName, Encoding.UTF8.GetBytes(xml.ToString()));
        return Zip(entries.ToArray());
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                stream.Write(bytes);
            }
        return output.ToArray();
    }

    private (byte[], string) Multipart(Random rng, List<string> what)
    {
        const string boundary = "fuzz-boundary-7c1f";
        var (file, fileWhat) = rng.Next(2) == 0 ? Csv(rng) : Xlsx(rng);
        var field = rng.Next(5) == 0 ? Pick(rng, ["files", "File", "", "upload"]) : "file";
        var fileName = rng.Next(4) == 0 ? Hostile(rng, 200).Replace("\"", "").Replace("\r", "").Replace("\n", "") : Pick(rng, ["figures.csv", "figures.xlsx", "図.csv", ""]);
        var head = Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        var tail = Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        var body = head.Concat(file).Concat(tail).ToArray();
        var contentType = $"multipart/form-data; boundary={boundary}";
        switch (rng.Next(6))
        {
            case 0: body = body[..rng.Next(body.Length)]; what.Add("multipart truncated"); break;
            case 1: contentType = "multipart/form-data"; what.Add("multipart without a boundary"); break;
            case 2: contentType = "multipart/form-data; boundary=another"; what.Add("multipart with the wrong boundary"); break;
            case 3: body = head.Concat(file).ToArray(); what.Add("multipart never closed"); break;
        }
        what.Add($"multipart field '{field}' file '{Show(fileName)}': {fileWhat}");
        return (body, contentType);
    }

    // ---- hostile strings --------------------------------------------------------------------------------------

    private static string Hostile(Random rng, int maxLength = 100_000) => (rng.Next(14) switch
    {
        0 => new string('a', rng.Next(1, maxLength)),
        1 => string.Concat(Enumerable.Repeat("日本語", rng.Next(1, Math.Max(2, maxLength / 3)))),
        _ => Pick(rng, HostileStrings)
    }) is var s && s.Length > maxLength ? s[..maxLength] : s;

    private static readonly string[] HostileStrings =
    [
        "", " ", "null", "undefined", "0", "-1", "NaN", "Infinity", "1e309", "99999999999999999999999999999999", "DAT-01'; drop table x;--",
        "../../etc/passwd", "..", ".", "\u0000", "a\u0000b", "<script>alert(1)</script>", "令和元年度", "令和99年度", "FY2024Q5", "FY-1", "０１２３",
        "🙂", "\ud800", "\uffff", "\u202e", "\r\n", "%", "%00", "{code}", "DAT-01.svg", "dat-01", "DAT-01 ", " DAT-01", "DAT-999", "011002",
        "000000", "999999", "RM-99", "=cmd|' /C calc'!A0", "+1", "@SUM(1)", "-2+3", "\"", "\\", "/", "//", "?", "#", "&", "a=b", "ＤＡＴ－０１",
        "00000000-0000-0000-0000-000000000000", "not-a-guid", "ffffffff-ffff-ffff-ffff-fffffffffffff", "true", "[]", "{}", "1.5", "-0", "1,620", "１，６２０"
    ];

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private static string RandomGuid(Random rng)
    {
        var bytes = new byte[16];
        rng.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    /// <summary>A JSON string literal; everything outside printable ASCII as \uXXXX, lone surrogates included (they are input too).</summary>
    private static string Quote(string s) =>
        "\"" + string.Concat(s.Select(c => c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            < ' ' or > '~' => $"\\u{(int)c:x4}",
            _ => c.ToString()
        })) + "\"";

    /// <summary>Percent-encodes the UTF-8 of a value (a lone surrogate as the replacement character) for a path or query.</summary>
    private static string Escape(string s) =>
        string.Concat(Encoding.UTF8.GetBytes(s).Select(b =>
            b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
                ? ((char)b).ToString() : $"%{b:X2}"));

    /// <summary>A value as the report shows it: short, printable.</summary>
    public static string Show(string value)
    {
        var shown = value.Length > 40 ? $"{value[..20]}…({value.Length} chars)" : value;
        return string.Concat(shown.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
