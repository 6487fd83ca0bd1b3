using FluentValidation;

namespace Society5Kpi.Accounts;

/// <summary>
/// `user add NAME --role editor [--role reviewer] [--name 表示名]`: creates a local account. The password is read
/// from the SOCIETY5KPI_PASSWORD environment variable, or asked for on the terminal.
/// </summary>
public static class AccountCommandLine
{
    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        if (args.Length < 3 || args[1] != "add")
        {
            await output.WriteLineAsync("usage: user add NAME --role ROLE [--role ROLE] [--name DISPLAY-NAME]   (roles: " +
                                        string.Join(", ", Roles.All) + ")");
            return 2;
        }
        var userName = args[2];
        var roles = Values(args, "--role").ToArray();
        var displayName = Values(args, "--name").FirstOrDefault() ?? userName;
        var password = Environment.GetEnvironmentVariable("SOCIETY5KPI_PASSWORD") ?? Ask($"Password for {userName}: ");
        try
        {
            var account = await services.GetRequiredService<UserAccounts>().SaveAsync(new CreateAccount(userName, displayName, roles, password ?? ""));
            await output.WriteLineAsync($"Account {account.Id} ({account.DisplayName}) saved with roles {string.Join(", ", account.Roles)}.");
            return 0;
        }
        catch (ValidationException invalid)
        {
            foreach (var error in invalid.Errors) await output.WriteLineAsync($"{error.PropertyName}: {error.ErrorMessage}");
            return 1;
        }
    }

    private static IEnumerable<string> Values(string[] args, string option) =>
        args.Zip(args.Skip(1)).Where(p => p.First == option).Select(p => p.Second);

    /// <summary>Asks on the terminal without echoing what is typed; piped input is read as a line.</summary>
    private static string? Ask(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            Console.Write(prompt);
            return Console.ReadLine();
        }
        // The first look at the keyboard puts the terminal in .NET's no-echo mode: do it before the prompt, so that
        // what is typed right after the prompt appears is not echoed by the terminal either.
        _ = Console.KeyAvailable;
        Console.Write(prompt);
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        Console.WriteLine();
        return typed.ToString();
    }
}
