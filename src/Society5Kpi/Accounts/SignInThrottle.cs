using System.Collections.Concurrent;

namespace Society5Kpi.Accounts;

/// <summary>
/// Slows down, then refuses, repeated failed sign-ins: per account (someone guessing one person's password) and per
/// client address (someone trying many accounts). The first <see cref="FreeFailures"/> failures cost nothing; each
/// later attempt waits a little longer (up to <see cref="MaxDelay"/>); after <see cref="AccountLimit"/> failures of one
/// account, or <see cref="AddressLimit"/> from one address, within <see cref="Window"/>, attempts are refused for
/// <see cref="LockFor"/> whether the password is right or not. Kept in memory: one node, and a restart forgets.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int FreeFailures = 3;
    public const int AccountLimit = 10;
    public const int AddressLimit = 30;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private sealed record Failures(int Count, DateTimeOffset Since, DateTimeOffset? LockedUntil);

    private readonly ConcurrentDictionary<string, Failures> _failures = new();

    /// <summary>How long to wait before checking this attempt, or how long it is refused for.</summary>
    public (TimeSpan Delay, TimeSpan? RefusedFor) Before(string account, string address)
    {
        var now = clock.GetUtcNow();
        var (byAccount, byAddress) = (Current(AccountKey(account), now), Current(AddressKey(address), now));
        var lockedUntil = new[] { byAccount?.LockedUntil, byAddress?.LockedUntil }.Max();
        if (lockedUntil is { } until && until > now) return (TimeSpan.Zero, until - now);
        var failures = Math.Max(byAccount?.Count ?? 0, byAddress?.Count ?? 0);
        var delay = failures <= FreeFailures ? TimeSpan.Zero : Step * (failures - FreeFailures);
        return (delay < MaxDelay ? delay : MaxDelay, null);
    }

    public void Failed(string account, string address)
    {
        var now = clock.GetUtcNow();
        Count(AccountKey(account), AccountLimit, now);
        Count(AddressKey(address), AddressLimit, now);
    }

    /// <summary>The right password clears the account's failures (not the address's: one known account must not unlock guessing at others).</summary>
    public void Succeeded(string account) => _failures.TryRemove(AccountKey(account), out _);

    private Failures? Current(string key, DateTimeOffset now) =>
        _failures.TryGetValue(key, out var f) && (f.LockedUntil > now || now - f.Since < Window) ? f : null;

    private void Count(string key, int limit, DateTimeOffset now) => _failures.AddOrUpdate(key,
        _ => new Failures(1, now, limit <= 1 ? now + LockFor : null),
        (_, f) =>
        {
            var fresh = f.LockedUntil is null && now - f.Since < Window ? f with { Count = f.Count + 1 } : new Failures(1, now, null);
            return fresh.Count >= limit ? fresh with { LockedUntil = now + LockFor } : fresh;
        });

    private static string AccountKey(string account) => "account:" + UserAccounts.Normalise(account);
    private static string AddressKey(string address) => "address:" + address;
}
