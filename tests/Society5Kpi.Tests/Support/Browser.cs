using Microsoft.Playwright;

namespace Society5Kpi.Tests.Support;

/// <summary>Debian's chromium driven by Playwright (no browser download: there is none to be had here).</summary>
public static class Browser
{
    public static string ScreenshotDirectory { get; } = Path.Combine(AppFixture.RepositoryRoot, ".build", "screenshots");

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium",
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
            // A widget test puts the app (on 127.0.0.1) in another site's page: in production the app is not on the
            // host's loopback, so Chromium's local-network-access prompt would never arise.
            "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests"
        ]
    });

    /// <summary>
    /// Pages are first sent prerendered; a click before the Blazor circuit is up would be lost. MainLayout marks
    /// the page once it runs interactively.
    /// </summary>
    public static Task WaitUntilInteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("#interactive", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }
}
