using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Society5Kpi.Tests.Accounts;

/// <summary>
/// OpenID Connect is configuration only: no provider is reachable here, so this checks the sign-in set-up the
/// app builds from the settings (the same AddSignIn the app calls), not a login against a real provider.
/// </summary>
public class when_an_identity_provider_is_configured
{
    private static ServiceProvider SignInWith(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSignIn();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public async Task its_authority_and_client_are_used_with_the_code_flow_and_its_roles_claim()
    {
        using var services = SignInWith(new()
        {
            ["Authentication:OpenIdConnect:Authority"] = "https://idp.pref.hokkaido.example/realms/s5k",
            ["Authentication:OpenIdConnect:ClientId"] = "society5kpi",
            ["Authentication:OpenIdConnect:ClientSecret"] = "secret",
        });

        (await services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(OpenIdConnectDefaults.AuthenticationScheme))
            .ShouldNotBeNull();
        var options = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        options.Authority.ShouldBe("https://idp.pref.hokkaido.example/realms/s5k");
        options.ClientId.ShouldBe("society5kpi");
        options.ResponseType.ShouldBe("code");
        options.TokenValidationParameters.RoleClaimType.ShouldBe("roles");
        options.SignInScheme.ShouldBe("Cookies");
    }

    [Fact]
    public async Task without_one_only_local_accounts_sign_in()
    {
        using var services = SignInWith(new());
        (await services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(OpenIdConnectDefaults.AuthenticationScheme))
            .ShouldBeNull();
    }
}
