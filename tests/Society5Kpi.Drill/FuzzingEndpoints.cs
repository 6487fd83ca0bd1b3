using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Society5Kpi.Drill;

/// <summary>What kind of door an endpoint is, for the counts of the report.</summary>
public enum EndpointClass { Page, PublicRead, StaffRead, Write, Upload, Session, Framework }

/// <summary>One route and method of the app, with what it takes: its route values, the query keys it reads, its policy.</summary>
public sealed record FuzzEndpoint(string Method, string Route, string? Policy, EndpointClass Class, IReadOnlyList<string> RouteValues, IReadOnlyList<string> QueryKeys)
{
    public override string ToString() => $"{Method} {Route}";
}

/// <summary>
/// Every endpoint of the app, read from its routing table at run time (a new endpoint is fuzzed without a change here):
/// the API (Wolverine and minimal endpoints), the pages (Razor components), the OpenAPI document and health. Static
/// files are left out: they are the framework's, thousands of them, and take no input.
/// </summary>
public static class FuzzingEndpoints
{
    public static IReadOnlyList<FuzzEndpoint> Of(IServiceProvider services)
    {
        var queryKeys = QueryKeysFromApiDescriptions(services);
        return services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsStaticFile(e))
            .SelectMany(e => MethodsOf(e).Select(method => Describe(e, method, queryKeys)))
            .DistinctBy(e => (e.Method, e.Route))
            .OrderBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => e.Method)
            .ToList();
    }

    private static FuzzEndpoint Describe(RouteEndpoint endpoint, string method, IReadOnlyDictionary<string, string[]> queryKeys)
    {
        var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
        var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "signed-in").FirstOrDefault();
        var component = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type;
        var keys = (queryKeys.GetValueOrDefault($"{method} {route}") ?? [])
            .Concat(component is null ? [] : QueryKeysOfPage(component))
            .Distinct().ToList();
        var routeValues = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
        return new FuzzEndpoint(method, route, policy, ClassOf(route, method, policy, component is not null), routeValues, keys);
    }

    private static EndpointClass ClassOf(string route, string method, string? policy, bool page)
    {
        if (route.StartsWith("/api/session")) return EndpointClass.Session;
        if (route.StartsWith("/_") || route.StartsWith("/openapi") || route.StartsWith("/health") || route.StartsWith("/api/docs")) return EndpointClass.Framework;
        if (page) return EndpointClass.Page;
        if (method is "GET" or "HEAD") return policy is null ? EndpointClass.PublicRead : EndpointClass.StaffRead;
        return route.StartsWith("/api/imports/measurements") && !route.EndsWith("/confirm") ? EndpointClass.Upload : EndpointClass.Write;
    }

    private static IEnumerable<string> MethodsOf(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["GET"];

    // MapStaticAssets' endpoints carry the file's descriptor; their routes are file names.
    private static bool IsStaticFile(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor") ||
        endpoint.DisplayName?.StartsWith("Static File", StringComparison.Ordinal) == true;

    /// <summary>The query parameters the API declares (as the OpenAPI document lists them).</summary>
    private static IReadOnlyDictionary<string, string[]> QueryKeysFromApiDescriptions(IServiceProvider services)
    {
        var groups = services.GetService<IApiDescriptionGroupCollectionProvider>()?.ApiDescriptionGroups.Items ?? [];
        return groups.SelectMany(g => g.Items)
            .Where(d => d.HttpMethod is not null)
            .GroupBy(d => $"{d.HttpMethod} /{d.RelativePath?.TrimStart('/')}")
            .ToDictionary(g => g.Key, g => g.SelectMany(d => d.ParameterDescriptions)
                .Where(p => p.Source.Id == "Query").Select(p => p.Name).Distinct().ToArray());
    }

    /// <summary>A page's [SupplyParameterFromQuery] properties.</summary>
    private static IEnumerable<string> QueryKeysOfPage(Type component) =>
        component.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(p => (p, a: p.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
            .Where(x => x.a is not null)
            .Select(x => x.a!.Name ?? x.p.Name);
}
