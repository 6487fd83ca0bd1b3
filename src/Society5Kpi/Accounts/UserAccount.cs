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
    /// <summary>Changes whenever the password or the roles change; a session carrying an older stamp is ended.</summary>
    public string SecurityStamp { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    public const string StampClaim = "security_stamp";

    public ClaimsPrincipal Principal(string scheme) => new(new ClaimsIdentity(
        Roles.Select(r => new Claim(ClaimTypes.Role, r))
            .Prepend(new Claim(StampClaim, SecurityStamp))
            .Prepend(new Claim("display_name", DisplayName))
            .Prepend(new Claim(ClaimTypes.Name, Id)),
        scheme, ClaimTypes.Name, ClaimTypes.Role));
}

/// <summary>A sign-in attempt's answer: the account, or nothing (wrong name or password), or refused for a while (too many failures).</summary>
public sealed record SignInCheck(UserAccount? Account, TimeSpan? RefusedFor)
{
    /// <summary>Whole seconds for a Retry-After header, rounded up.</summary>
    public int RetryAfterSeconds => (int)Math.Ceiling(RefusedFor?.TotalSeconds ?? 0);
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
public sealed class UserAccounts(IDocumentStore store, TimeProvider clock, SignInThrottle throttle)
{
    private static readonly PasswordHasher<UserAccount> Hasher = new();

    // Checked when the name is unknown, so that a wrong name costs the same hashing as a wrong password.
    private static readonly UserAccount Nobody = new() { Id = "", PasswordHash = Hasher.HashPassword(new UserAccount(), Guid.NewGuid().ToString()) };

    public static string Normalise(string userName) => userName.Trim().ToLowerInvariant();

    /// <summary>
    /// Creates the account, or replaces its roles, name and password if it exists. A new password or other roles
    /// give it a new security stamp, which ends its open sessions.
    /// </summary>
    public async Task<UserAccount> SaveAsync(CreateAccount command, CancellationToken ct = default)
    {
        await new CreateAccountValidator().ValidateAndThrowAsync(command, ct);
        await using var session = store.LightweightSession();
        var existing = await session.LoadAsync<UserAccount>(command.UserName, ct);
        var roles = command.Roles.Distinct().ToArray();
        var unchanged = existing is not null && existing.Roles.Order().SequenceEqual(roles.Order()) &&
                        Hasher.VerifyHashedPassword(existing, existing.PasswordHash, command.Password) != PasswordVerificationResult.Failed;
        var account = new UserAccount
        {
            Id = command.UserName, DisplayName = command.DisplayName, Roles = roles,
            CreatedAt = existing?.CreatedAt ?? clock.GetUtcNow(),
            SecurityStamp = unchanged ? existing!.SecurityStamp : Guid.NewGuid().ToString("N")
        };
        account = account with { PasswordHash = unchanged ? existing!.PasswordHash : Hasher.HashPassword(account, command.Password) };
        session.Store(account);
        await session.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>
    /// Checks a sign-in from <paramref name="clientAddress"/>, throttled (see <see cref="SignInThrottle"/>): the account
    /// if the password is right; the caller does not learn whether the name or the password was wrong.
    /// </summary>
    public async Task<SignInCheck> CheckAsync(string? userName, string? password, string clientAddress, CancellationToken ct = default)
    {
        var name = Normalise(userName ?? "");
        var (delay, refusedFor) = throttle.Before(name, clientAddress);
        if (refusedFor is not null) return new SignInCheck(null, refusedFor);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, clock, ct);

        await using var session = store.QuerySession();
        var account = name.Length == 0 ? null : await session.LoadAsync<UserAccount>(name, ct);
        var candidate = account ?? Nobody;
        var verified = Hasher.VerifyHashedPassword(candidate, candidate.PasswordHash, password ?? "") != PasswordVerificationResult.Failed;
        if (account is not null && verified && !string.IsNullOrEmpty(password))
        {
            throttle.Succeeded(name);
            return new SignInCheck(account, null);
        }
        throttle.Failed(name, clientAddress);
        return new SignInCheck(null, null);
    }

    /// <summary>Whether a session's stamp is still its account's (false once the password or roles changed, or the account is gone).</summary>
    public async Task<bool> IsCurrentAsync(string? userName, string stamp, CancellationToken ct = default)
    {
        if (userName is null) return false;
        await using var session = store.QuerySession();
        return await session.LoadAsync<UserAccount>(userName, ct) is { } account && account.SecurityStamp == stamp;
    }
}
