using Society5Kpi.Municipalities.Registering;

namespace Society5Kpi.Bench.LargePlan;

/// <summary>
/// The municipalities of the generated plan: Hokkaido's real 179 from seeds/municipalities.csv (so the map has their
/// shapes), then synthetic ones for prefectures 02-47 with valid local government codes (check digit) and made-up names.
/// </summary>
public static class JapanMunicipalities
{
    public static IReadOnlyList<MunicipalityRegistered> Take(int count, string seedsDirectory)
    {
        var hokkaido = File.ReadLines(Path.Combine(seedsDirectory, "municipalities.csv")).Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(f => new MunicipalityRegistered(f[0], f[1], f[2], f[3], Enum.Parse<MunicipalityKind>(f[4], ignoreCase: true), f[5], f[6]));
        return hokkaido.Concat(Synthetic()).Take(count).ToList();
    }

    /// <summary>Round-robin over prefectures 02-47, so any prefix spreads over the country.</summary>
    private static IEnumerable<MunicipalityRegistered> Synthetic()
    {
        for (var serial = 201; serial <= 999; serial++)
            for (var prefecture = 2; prefecture <= 47; prefecture++)
            {
                var firstFive = $"{prefecture:D2}{serial:D3}";
                var code = firstFive + LocalGovernmentCode.CheckDigit(firstFive);
                yield return new MunicipalityRegistered(code, $"合成町{code}", "ゴウセイチョウ", $"Synthetic-{code}", MunicipalityKind.Town,
                    $"県{prefecture:D2}", $"Prefecture {prefecture:D2}");
            }
    }
}
