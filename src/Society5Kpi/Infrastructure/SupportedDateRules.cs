using FluentValidation;
using Society5Kpi.Domain;

namespace Society5Kpi.Infrastructure;

public static class SupportedDateRules
{
    /// <summary>Every date a user can send is one the product supports (see <see cref="SupportedDates"/>).</summary>
    public static IRuleBuilderOptions<T, DateOnly?> MustBeASupportedDate<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.Must(SupportedDates.Contains).WithMessage((_, day) => SupportedDates.Outside(day));
}
