using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Localization;
using Society5Kpi.Components;
using Society5Kpi.CouncilMeetings;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Timeline;
using JasperFx.Events.Daemon;
using Society5Kpi.Infrastructure;
using Society5Kpi.Municipalities.Registering;
using Society5Kpi.Roadmap.Planning;
using Society5Kpi.Seeds;
using Weasel.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace Society5Kpi;

public static class Society5KpiSetup
{
    // Jittered, so that racing writers do not meet again at the same moment.
    private static readonly TimeSpan[] Cooldowns =
        Enumerable.Range(0, 12).Select(i => TimeSpan.FromMilliseconds(5 + i * 10 + Random.Shared.Next(10))).ToArray();

    /// <summary>How events are serialised, keyed and stamped; the benchmarks' bare stores write events the same way.</summary>
    public static void UseEventSettings(StoreOptions opts)
    {
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        // Streams are keyed by the plan's own codes (LIV-01, RM-01, 011002).
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // Rich: the inline projections see each event's version, which the expected-version check reads.
        opts.Events.AppendMode = EventAppendMode.Rich;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
    }

    public static void AddSociety5Kpi(this WebApplicationBuilder builder, bool runsAVerb = false)
    {
        var connectionString = builder.Configuration.GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not set");

        var batches = Rebuilding.ProjectionBatches.From(builder.Configuration);
        builder.Services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = "society5kpi";
                UseEventSettings(opts);
                opts.Listeners.Add(new StoreCommits());
                opts.Projections.Snapshot<IndicatorProgress>(SnapshotLifecycle.Inline, batches);
                opts.Projections.Snapshot<RoadmapItem>(SnapshotLifecycle.Inline, batches);
                opts.Projections.Snapshot<Municipality>(SnapshotLifecycle.Inline, batches);
                opts.Projections.Snapshot<CouncilMeeting>(SnapshotLifecycle.Inline, batches);
                opts.Projections.Add<Indicators.RecordedFigureProjection>(ProjectionLifecycle.Inline, batches);
                // Read by indicator (the secretariat's pages, the history, each municipality's figures: the map, the breakdown, its page) and by period and source (the imports' duplicate check).
                opts.Schema.For<Indicators.RecordedFigure>()
                    .Index(f => new { f.IndicatorCode, f.MunicipalityCode, f.Sequence }, i => i.Name = "recordedfigure_by_indicator")
                    .Index(f => new { f.IndicatorCode, f.Period, f.Source }, i => i.Name = "recordedfigure_by_period_source");
                opts.Projections.Add<IndicatorTimelineProjection>(ProjectionLifecycle.Async, batches);
            })
            .UseLightweightSessions()
            // Serving nodes elect one leader for the async projections (HotCold: an advisory lock), so several can share
            // a database; Projections:Daemon=Solo skips the election where one node is certain (the test suite).
            // A command-line verb (import, user, rebuild) runs no daemon at all.
            .AddAsyncDaemon(runsAVerb ? DaemonMode.Disabled : builder.Configuration.GetValue("Projections:Daemon", DaemonMode.HotCold))
            .ApplyAllDatabaseChangesOnStartup()
            // Committed events are forwarded to Wolverine handlers (the plan summaries react to them).
            .IntegrateWithWolverine(w => w.UseFastEventForwarding = true);

        builder.Services.AddHostedService<Indicators.AsOf.PrefectureEventsIndex>();

        builder.Host.UseWolverine(opts =>
        {
            opts.Policies.AutoApplyTransactions();
            // Dynamic (default): handlers' code generated with Roslyn at run time. Static/Auto: the code `codegen write` wrote.
            opts.CodeGeneration.TypeLoadMode = builder.Configuration.GetValue("CodeGeneration:TypeLoadMode", JasperFx.CodeGeneration.TypeLoadMode.Dynamic);
            // Two writers on one stream without an expected version are serialised, not refused: the one that lost the
            // race runs again on the fresh stream. With an expected version the retry meets the version check (a 409).
            opts.OnException<JasperFx.ConcurrencyException>().Or<Marten.Exceptions.StreamLockedException>()
                .Or<JasperFx.Events.StreamLockedException>()
                .RetryWithCooldown(Cooldowns);
            // The signed-in user goes into Marten's user-name column of every event, beside its correlation id.
            opts.EnableRelayOfUserName = true;
            opts.Discovery.IncludeAssembly(typeof(Society5KpiSetup).Assembly);
            // The municipality counts are recounted one event at a time, so an older recount cannot overwrite a newer one.
            Municipalities.RecordingFacts.MunicipalityCountsHandler.RouteOneAtATime(opts);
            Measurements.Importing.ImportConfirmedHandler.RouteDurably(opts);
            // A node killed mid-import leaves its durable inbox to the others once its heartbeat is this old (Wolverine's
            // default, a minute, kept a resumed import waiting 62 s); four missed beats of 5 s, not one slow moment.
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(5);
            opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(20);
        });
        builder.Services.AddWolverineHttp();
        builder.Services.AddApiDocumentation();
        // Validators that judge a command against its aggregate take it in their constructor: the handler builds those.
        builder.Services.AddValidatorsFromAssembly(typeof(Society5KpiSetup).Assembly, ServiceLifetime.Singleton,
            filter: v => v.ValidatorType.GetConstructor(Type.EmptyTypes) is not null);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<SeedImporter>();
        builder.Services.AddSingleton<Society5Kpi.Rebuilding.ReadModelRebuild>();
        builder.Services.AddSingleton<Municipalities.Map.MunicipalityMapShapes>();

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new TextWithoutNul());
        });
        builder.Services.AddSingleton<SeedReadiness>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<SeedReadinessHealthCheck>("plan");

        builder.AddSignIn();
        builder.AddPublicRateLimit();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Japanese written as UTF-8, not as &#x…; references: a kanji costs 3 bytes instead of 8.
        builder.Services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        // Pages (the map's SVG, the report) are compressed; static files come precompressed from MapStaticAssets.
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["text/html", "image/svg+xml", "application/json", "application/problem+json", "text/csv"];
        });
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, Accounts.SessionRevalidation>();
        builder.Services.AddLocalization();
    }

    /// <summary>
    /// Cookie sign-in with local accounts; OpenID Connect too when Authentication:OpenIdConnect:Authority is set
    /// (its role claim "roles" must carry the same role names). API callers get 401/403, never a login redirect.
    /// </summary>
    public static void AddSignIn(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Accounts.SignInThrottle>();
        builder.Services.AddSingleton<Accounts.UserAccounts>();
        var authentication = builder.Services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "s5k.session";
                o.Cookie.HttpOnly = true;
                // Strict: a page on another site can never send a write with this session.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.LoginPath = "/account/login";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.Events.OnRedirectToLogin = c => ApiStatusOrRedirect(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => ApiStatusOrRedirect(c, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = EndSessionIfAccountChanged;
            });
        var oidc = builder.Configuration.GetSection("Authentication:OpenIdConnect");
        if (!string.IsNullOrEmpty(oidc["Authority"]))
            authentication.AddOpenIdConnect(o =>
            {
                oidc.Bind(o);
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.ResponseType = "code";
                o.TokenValidationParameters.RoleClaimType = "roles";
                o.TokenValidationParameters.NameClaimType = "preferred_username";
            });
        builder.Services.AddAuthorization(Accounts.Policies.Add);
    }

    /// <summary>A local account's session ends as soon as its password or roles change (its security stamp is no longer the account's).</summary>
    private static async Task EndSessionIfAccountChanged(CookieValidatePrincipalContext context)
    {
        // Sessions from the identity provider carry no stamp: the provider ends those.
        if (context.Principal?.FindFirst(Accounts.UserAccount.StampClaim)?.Value is not { } stamp) return;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<Accounts.UserAccounts>();
        if (await accounts.IsCurrentAsync(context.Principal.Identity?.Name, stamp, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private static Task ApiStatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api")) context.Response.StatusCode = status;
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static void UseSociety5Kpi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseResponseCompression();
        app.Use(SeedReadiness.Gate);
        app.Use(CrossSiteWrites.Refuse);
        app.Use(FramingPolicy.Apply);
        app.UseRequestLocalization(o =>
        {
            // Japanese first; English a switch away (the lang cookie set by /language).
            o.SetDefaultCulture("ja-JP").AddSupportedCultures("ja-JP", "en").AddSupportedUICultures("ja-JP", "en");
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        app.UseAuthentication();
        app.UsePublicRateLimit();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.Use(Components.Charts.PlotlyBundles.CacheLong);
        app.MapStaticAssets();
        app.MapHealthChecks("/health");
        app.MapGet("/language/{culture}", (string culture, string? returnUrl, HttpContext http) =>
        {
            var chosen = culture == "en" ? "en" : "ja-JP";
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(LocalUrl.OrHome(returnUrl));
        });
        app.MapWolverineEndpoints();
        app.MapApiDocumentation();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
