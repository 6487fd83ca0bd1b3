using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace Society5Kpi.Accounts;

/// <summary>The roles of the plan's people. The public needs no account and can never write.</summary>
public static class Roles
{
    public const string Editor = "editor";          // 事務局: enters and corrects figures
    public const string Reviewer = "reviewer";      // checks and approves figures before they are published
    public const string Administrator = "administrator";
    public const string Council = "council";        // 推進会議の委員: sees drafts, writes nothing

    public static readonly string[] All = [Editor, Reviewer, Administrator, Council];
}

/// <summary>What each kind of request needs.</summary>
public static class Policies
{
    public const string Enter = "enter";
    public const string Review = "review";
    public const string ViewDrafts = "view-drafts";
    public const string Administer = "administer";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Enter, p => p.RequireRole(Roles.Editor, Roles.Administrator));
        options.AddPolicy(Review, p => p.RequireRole(Roles.Reviewer, Roles.Administrator));
        options.AddPolicy(ViewDrafts, p => p.RequireRole(Roles.Editor, Roles.Reviewer, Roles.Administrator, Roles.Council));
        options.AddPolicy(Administer, p => p.RequireRole(Roles.Administrator));
    }
}

/// <summary>A local account. Passwords are kept only as ASP.NET Core's password hash.</summary>
public sealed record UserAccount
{
    public string Id { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string[] Roles { get; init; } = [];
    public string PasswordHash { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    public ClaimsPrincipal Principal(string scheme) => new(new ClaimsIdentity(
        Roles.Select(r => new Claim(ClaimTypes.Role, r))
            .Prepend(new Claim("display_name", DisplayName))
            .Prepend(new Claim(ClaimTypes.Name, Id)),
        scheme, ClaimTypes.Name, ClaimTypes.Role));
}

public sealed record CreateAccount(string UserName, string DisplayName, string[] Roles, string Password);

public sealed class CreateAccountValidator : AbstractValidator<CreateAccount>
{
    public CreateAccountValidator()
    {
        RuleFor(c => c.UserName).Matches("^[a-z0-9._-]{3,32}$")
            .WithMessage("A user name is 3-32 lower-case letters, digits, '.', '_' or '-'.");
        RuleFor(c => c.DisplayName).NotEmpty().MaximumLength(100);
        RuleFor(c => c.Roles).NotEmpty().WithMessage($"Give at least one role: {string.Join(", ", Accounts.Roles.All)}.");
        RuleForEach(c => c.Roles).Must(r => Accounts.Roles.All.Contains(r))
            .WithMessage((_, r) => $"'{r}' is not a role ({string.Join(", ", Accounts.Roles.All)}).");
        RuleFor(c => c.Password).MinimumLength(10).WithMessage("A password has at least 10 characters.");
    }
}

/// <summary>Creating accounts and checking passwords.</summary>
public sealed class UserAccounts(IDocumentStore store, TimeProvider clock)
{
    private static readonly PasswordHasher<UserAccount> Hasher = new();

    /// <summary>Creates the account, or replaces its roles, name and password if it exists.</summary>
    public async Task<UserAccount> SaveAsync(CreateAccount command, CancellationToken ct = default)
    {
        await new CreateAccountValidator().ValidateAndThrowAsync(command, ct);
        var account = new UserAccount
        {
            Id = command.UserName, DisplayName = command.DisplayName, Roles = command.Roles.Distinct().ToArray(),
            CreatedAt = clock.GetUtcNow()
        };
        account = account with { PasswordHash = Hasher.HashPassword(account, command.Password) };
        await using var session = store.LightweightSession();
        session.Store(account);
        await session.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>The account if the password is right, else null (the caller does not learn which was wrong).</summary>
    public async Task<UserAccount?> CheckAsync(string? userName, string? password, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password)) return null;
        await using var session = store.QuerySession();
        var account = await session.LoadAsync<UserAccount>(userName.Trim().ToLowerInvariant(), ct);
        return account is not null && Hasher.VerifyHashedPassword(account, account.PasswordHash, password) != PasswordVerificationResult.Failed
            ? account : null;
    }
}
