using System.Text;

namespace Society5Kpi.Municipalities.Registering;

/// <summary>
/// Finds a municipality by what a spreadsheet writes for it: the 6-digit local government code (011002), the 5-digit
/// statistics code without the check digit (01100, as e-Stat writes it), or its name as in the list (札幌市), also with
/// the county the ministry's tables put before towns and villages (石狩郡当別町).
/// </summary>
public sealed class MunicipalityLookup(IEnumerable<Municipality> municipalities)
{
    public const string Forms = "a 6-digit code (011002), a 5-digit code (01100) or a name as in the list (札幌市)";

    private readonly Dictionary<string, Municipality> _byCode = municipalities.ToDictionary(m => m.Id);
    private readonly Dictionary<string, Municipality> _byName = municipalities.ToDictionary(m => m.Details.Name);

    public Municipality? Find(string? text)
    {
        var typed = text?.Normalize(NormalizationForm.FormKC).Trim() ?? "";
        if (typed.Length == 0) return null;
        if (typed.All(char.IsAsciiDigit))
        {
            var code = typed.Length == 5 ? typed + LocalGovernmentCode.CheckDigit(typed) : typed;
            return _byCode.GetValueOrDefault(code);
        }
        if (_byName.TryGetValue(typed, out var named)) return named;
        var county = typed.IndexOf('郡');
        return county > 0 ? _byName.GetValueOrDefault(typed[(county + 1)..]) : null;
    }
}
